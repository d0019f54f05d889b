import type { Settings } from '../../../shared/contract'
import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import { cellFor } from '../privacy'

/** Every string inside an entry's details, masked as a cell is. */
function maskDeep(v: unknown, mask: (s: string) => string): unknown {
  if (typeof v === 'string') return mask(v)
  if (Array.isArray(v)) return v.map((x) => maskDeep(x, mask))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x, mask)]))
  return v
}

export function createAuditHandlers({ audit }: CoreDeps, settings: () => Settings): DomainHandlers<'audit'> {
  return {
    // a number in an entry (a do-not-call entry's id, a number in its details) is shown as the reader
    // may see numbers: masked for a role that sees them masked
    'audit.list': (input, ctx) => {
      const { user } = requireUser(ctx)
      const s = settings()
      const mask = (cell: string) => cellFor(cell, user.role, s)
      return audit.list(input).map((e) => ({
        ...e,
        entityId: e.entityId === null ? null : mask(e.entityId),
        details: e.details && (maskDeep(e.details, mask) as Record<string, unknown>)
      }))
    }
  }
}
