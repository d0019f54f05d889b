import type { DomainHandlers } from '../context'
import { requireUser } from '../context'
import type { ComplaintsService } from './service'

/** 投诉 over the hub and IPC. */
export function createComplaintsHandlers(complaints: ComplaintsService): DomainHandlers<'complaints'> {
  return {
    'complaints.list': (input, ctx) => {
      const { user } = requireUser(ctx)
      return complaints.list(input.state === 'open', input.limit).map((r) => complaints.toComplaint(r, user))
    },
    'complaints.get': (input, ctx) => {
      const { user } = requireUser(ctx)
      return {
        complaint: complaints.toComplaint(complaints.get(input.id), user),
        events: complaints.repo.events(input.id)
      }
    },
    'complaints.open': (input, ctx) => complaints.open(requireUser(ctx).user, input, ctx.conn.source),
    'complaints.move': (input, ctx) => complaints.move(requireUser(ctx).user, input, ctx.conn.source),
    'complaints.extend': (input, ctx) => complaints.extend(requireUser(ctx).user, input, ctx.conn.source),
    'complaints.assign': (input, ctx) => {
      complaints.assign(requireUser(ctx).user, input.id, input.ownerId, ctx.conn.source)
      return { ok: true as const }
    },
    'complaints.report': (input) => complaints.report(input.from, input.to)
  }
}
