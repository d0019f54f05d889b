import { Suspense, type ReactNode } from 'react'
import { arrivedLazy } from '../../ui/arrived-lazy'
import { PlainSkeleton } from '../../ui/plain'

/**
 * Ant Design comes when a page first needs it, not with the first screen: the login page and a field
 * agent's 我的拜访 are plain (ui/plain.tsx). A desktop seat starts fetching it at once (App.tsx).
 */
const { Component: AntRoot } = arrivedLazy(() => import('./AntRoot').then((m) => m.AntRoot))

/** Its children inside Ant Design's provider, the outline of a page while the library arrives. */
export function WithAnt({ children, fallback }: { children: ReactNode; fallback?: ReactNode }) {
  return (
    <Suspense fallback={fallback ?? <PlainSkeleton rows={4} />}>
      <AntRoot>{children}</AntRoot>
    </Suspense>
  )
}
