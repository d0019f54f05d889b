import { createElement, lazy, useState, type ComponentType } from 'react'

/**
 * A component whose code comes when first needed, and that renders itself directly once its code is
 * here (a preload, an earlier visit): that spares the Suspense round, where React holds a revealed
 * boundary back up to 300 ms. Decided when it mounts, so it never switches under a mounted tree.
 */
export function arrivedLazy<P extends object>(
  load: () => Promise<ComponentType<P>>
): { Component: ComponentType<P>; load: () => Promise<ComponentType<P>> } {
  let arrived: ComponentType<P> | null = null
  const fetch = () => load().then((c) => (arrived = c))
  const Lazy = lazy(() => fetch().then((c) => ({ default: c })))
  function Component(props: P) {
    const [C] = useState<ComponentType<P>>(() => arrived ?? Lazy)
    return createElement(C, props)
  }
  return { Component, load: fetch }
}
