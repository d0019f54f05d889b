import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import type { PoolService } from './service'

export function createPoolHandlers(
  deps: CoreDeps,
  pool: PoolService,
  /** The campaign batches come from, refused when it is closed. */
  openCampaign: (id: number) => unknown
): DomainHandlers<'allocation' | 'pool'> {
  const { audit, events } = deps
  return {
    'allocation.preview': (input) => {
      openCampaign(input.campaignId)
      const { assignments: _a, ...plan } = pool.plan(input)
      return plan
    },
    'allocation.commit': (input, ctx) => {
      const { user } = requireUser(ctx)
      openCampaign(input.campaignId)
      // the batches and their audit line in one commit
      const plan = pool.repo.transaction(() => {
        const plan = pool.commit(input, user.id)
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'allocation.commit',
          entity: 'allocation',
          entityId: input.day,
          details: {
            campaignId: input.campaignId,
            total: plan.total,
            perOperator: plan.perOperator,
            shortage: plan.shortage
          },
          source: ctx.conn.source
        })
        return plan
      })
      events.emit('leads.changed', { reason: 'allocation' })
      return plan
    },
    'pool.rules': (input) => pool.rules(input.campaignId),
    'pool.setRules': (input, ctx) => {
      const { user } = requireUser(ctx)
      return pool.repo.transaction(() => {
        const rules = pool.setRules(input.campaignId, input.rules)
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'pool.setRules',
          entity: 'campaign',
          entityId: input.campaignId,
          details: input.rules,
          source: ctx.conn.source
        })
        return rules
      })
    },
    'pool.claim': (input, ctx) => {
      pool.claim(input.leadId, requireUser(ctx).user.id)
      events.emit('leads.changed', { reason: 'claim' })
      return { ok: true as const }
    },
    'pool.release': (input, ctx) => {
      pool.release(input.leadId, requireUser(ctx).user.id)
      events.emit('leads.changed', { reason: 'release' })
      return { ok: true as const }
    },
    'pool.myWarnings': (_input, ctx) => pool.warnings(requireUser(ctx).user.id),
    'pool.recallNow': () => ({ recalled: pool.recall() }),
    'pool.handover': (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = pool.handover(input.fromUserId, input.toUserId, user.id)
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'pool.handover',
        entity: 'user',
        entityId: input.fromUserId,
        details: { to: input.toUserId, reason: input.reason, ...r },
        source: ctx.conn.source
      })
      events.emit('leads.changed', { reason: 'handover' })
      return r
    }
  }
}
