import { requireUser } from '../context'
import { defineDomain } from '../domain'
import type { ApiService } from './service'
import type { DeliveryRow, WebhookRow, Webhooks } from './webhooks'

const toDelivery = (d: DeliveryRow) => ({
  id: d.id,
  msgId: d.msg_id,
  eventType: d.event_type,
  leadId: d.lead_id,
  state: d.state,
  attempts: d.attempts,
  nextAt: d.next_at,
  lastStatus: d.last_status,
  lastError: d.last_error,
  createdAt: d.created_at,
  deliveredAt: d.delivered_at
})

/**
 * The integration API's keys and webhooks (administrators): the idempotent answers forgotten after a
 * day; outcomes and visits written to the webhooks' outbox as they are saved, sent every 2 s.
 */
export function apiDomain(api: ApiService, webhooks: Webhooks, now: () => Date) {
  const toWebhook = (w: WebhookRow, counts: Map<number, { pending: number; delivered: number; dead: number }>) => ({
    id: w.id,
    url: w.url,
    events: JSON.parse(w.events) as never[],
    campaignId: w.campaign_id,
    createdAt: w.created_at,
    disabledAt: w.disabled_at,
    ...(counts.get(w.id) ?? { pending: 0, delivered: 0, dead: 0 })
  })
  return defineDomain({
    name: 'apikeys',
    subscribe: (bus) => {
      bus.on('outcome.saved', (o) => webhooks.outcomeSaved(o))
      bus.on('visit.reported', (v) => {
        const data = { dispatchId: v.dispatchId, leadId: v.leadId, result: v.result }
        webhooks.record('visit.reported', v.leadId, null, data)
        if (v.result === 'signed') webhooks.record('policy.signed', v.leadId, null, { ...data, policyNo: v.policyNo })
      })
    },
    jobs: [
      { name: 'webhooks', everyMs: 2_000, run: () => webhooks.tick() },
      {
        name: 'api idempotency',
        everyMs: 3_600_000,
        run: () => api.repo.forgetAnswersBefore(new Date(now().getTime() - 86_400_000).toISOString())
      }
    ],
    handlers: {
      'apikeys.list': () => api.listKeys(),
      'apikeys.create': (input, ctx) => api.createKey(requireUser(ctx).user, input, ctx.conn.source),
      'webhooks.list': () => {
        const counts = new Map(webhooks.repo.counts().map((c) => [c.webhook_id, c]))
        return webhooks.repo.list().map((w) => toWebhook(w, counts))
      },
      'webhooks.register': (input, ctx) =>
        webhooks.register(input, { user: requireUser(ctx).user, keyId: null }, ctx.conn.source),
      'webhooks.disable': (input, ctx) => {
        webhooks.disable(requireUser(ctx).user, input.id, ctx.conn.source)
        return { ok: true as const }
      },
      'webhooks.deliveries': (input) => webhooks.repo.deliveries(input.id, input.limit).map(toDelivery),
      'webhooks.resend': (input, ctx) => {
        webhooks.resend(requireUser(ctx).user, input.deliveryId, ctx.conn.source)
        return { ok: true as const }
      },
      'apikeys.revoke': (input, ctx) => {
        api.revokeKey(requireUser(ctx).user, input.id, ctx.conn.source)
        return { ok: true as const }
      }
    }
  })
}
