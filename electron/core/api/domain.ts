import { requireUser } from '../context'
import { defineDomain } from '../domain'
import type { ApiService } from './service'

/** The integration API's keys (administrators), and the idempotent answers forgotten after a day. */
export function apiDomain(api: ApiService, now: () => Date) {
  return defineDomain({
    name: 'apikeys',
    jobs: [
      {
        name: 'api idempotency',
        everyMs: 3_600_000,
        run: () => api.repo.forgetAnswersBefore(new Date(now().getTime() - 86_400_000).toISOString())
      }
    ],
    handlers: {
      'apikeys.list': () => api.listKeys(),
      'apikeys.create': (input, ctx) => api.createKey(requireUser(ctx).user, input, ctx.conn.source),
      'apikeys.revoke': (input, ctx) => {
        api.revokeKey(requireUser(ctx).user, input.id, ctx.conn.source)
        return { ok: true as const }
      }
    }
  })
}
