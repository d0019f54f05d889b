import type { Settings } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import { requireUser } from '../context'
import { defineDomain } from '../domain'
import { phoneFor } from '../privacy'
import { smsParts, type SmsService } from './service'

/** 短信 over the hub and IPC: templates, the gateway, the outbox; visits booked or moved queue their message. */
export function smsDomain(deps: CoreDeps, sms: SmsService, settings: () => Settings) {
  const sample = {
    lead_id: 0,
    phone: '',
    name: '张三',
    gender: 'M',
    agent_name: '李娜',
    campaign_id: 0
  }
  return defineDomain({
    name: 'sms',
    subscribe: (bus) => {
      bus.on('visit.scheduled', ({ dispatchId, kind }) => void sms.visitScheduled(dispatchId, kind))
    },
    // the outbox: what is due goes to the gateway every few seconds
    jobs: [{ name: 'sms outbox', everyMs: 5_000, run: () => sms.tick() }],
    handlers: {
      'sms.templates': () =>
        sms.repo.templates().map((t) => {
          const text = sms.render(t.kind, { ...sample, visit_at: deps.clock.now().toISOString() }, t)
          return {
            kind: t.kind,
            signature: t.signature,
            body: t.body,
            status: t.status,
            providerCode: t.provider_code,
            sample: text,
            length: [...text].length,
            parts: smsParts(text),
            updatedAt: t.updated_at
          }
        }),
      'sms.saveTemplate': (input, ctx) => {
        sms.saveTemplate(requireUser(ctx).user, input, ctx.conn.source)
        return { ok: true as const }
      },
      'sms.gateway': () => sms.gatewayView(),
      'sms.setGateway': (input, ctx) => {
        sms.setGateway(requireUser(ctx).user, input, ctx.conn.source)
        return sms.gatewayView()
      },
      'sms.messages': (input, ctx) => {
        const { user } = requireUser(ctx)
        const s = settings()
        return {
          ...sms.repo.counts(),
          rows: sms.repo.list(input.limit).map((m) => ({
            id: m.id,
            leadId: m.lead_id,
            kind: m.kind,
            phone: phoneFor(m.phone, user.role, s),
            body: m.body,
            state: m.state,
            attempts: m.attempts,
            nextAt: m.next_at,
            error: m.error,
            createdAt: m.created_at,
            sentAt: m.sent_at,
            deliveredAt: m.delivered_at
          }))
        }
      },
      'sms.retry': (input, ctx) => {
        sms.retry(requireUser(ctx).user, input.id, ctx.conn.source)
        return { ok: true as const }
      }
    }
  })
}
