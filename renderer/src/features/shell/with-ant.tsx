import { lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react'
import { PlainSkeleton } from '../../ui/plain'

type Root = ComponentType<{ children: ReactNode }>

/**
 * Ant Design comes when a page first needs it, not with the first screen: the login page and a field
 * agent's 我的拜访 are plain (ui/plain.tsx). A desktop seat starts fetching it at once (App.tsx).
 */
let arrived: Root | null = null
const loadRoot = () =>
  import('./AntRoot').then((m) => {
    arrived = m.AntRoot
    return { default: m.AntRoot }
  })
const LazyRoot = lazy(loadRoot)

export function preloadAnt(): void {
  void loadRoot().catch(() => {})
}

/** Its children inside Ant Design's provider, the outline of a page while the library arrives. */
export function WithAnt({ children, fallback }: { children: ReactNode; fallback?: ReactNode }) {
  // the provider itself when it is here already: no Suspense round (React holds a revealed boundary back)
  const [Root] = useState<Root>(() => arrived ?? LazyRoot)
  return <Suspense fallback={fallback ?? <PlainSkeleton rows={4} />}>{<Root>{children}</Root>}</Suspense>
}
