import { METHOD_NAMES } from '../../shared/contract'
import type { HandlerMap } from './context'
import type { DomainEvents } from './domain-events'
import type { Job } from './scheduler'

/**
 * One domain of core as `createCore` composes it: the contract methods it answers (its handlers
 * only parse, call the service and map), the domain events it listens to (registered in its own
 * folder), and the jobs it wants run on a timer.
 */
export interface Domain<H extends Partial<HandlerMap> = Partial<HandlerMap>> {
  name: string
  handlers: H
  subscribe?: (bus: DomainEvents) => void
  jobs?: Job[]
}

export function defineDomain<const H extends Partial<HandlerMap>>(domain: Domain<H>): Domain<H> {
  return domain
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never
type HandlersOf<D> = D extends Domain<infer H> ? H : never

/**
 * The domains' handlers as one map. A method answered by two domains is refused at start, and so
 * is a method of the contract that no domain answers (TypeScript refuses it first).
 */
export function composeDomains<const D extends readonly Domain[]>(
  domains: D,
  bus: DomainEvents
): { handlers: UnionToIntersection<HandlersOf<D[number]>>; jobs: Job[] } {
  const handlers: Record<string, unknown> = {}
  const owner = new Map<string, string>()
  for (const d of domains) {
    for (const [method, handler] of Object.entries(d.handlers)) {
      const first = owner.get(method)
      if (first) throw new Error(`the method ${method} is defined twice: by ${first} and by ${d.name}`)
      owner.set(method, d.name)
      handlers[method] = handler
    }
  }
  const missing = METHOD_NAMES.filter((m) => !owner.has(m))
  if (missing.length) throw new Error(`no domain answers ${missing.join(', ')}`)
  for (const d of domains) d.subscribe?.(bus)
  return {
    handlers: handlers as UnionToIntersection<HandlersOf<D[number]>>,
    jobs: domains.flatMap((d) => d.jobs ?? [])
  }
}
