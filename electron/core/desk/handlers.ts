import type { Settings } from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import { AppError } from '../errors'
import { formatLocal } from './rules'
import { phoneFor } from '../privacy'
import type { DeskService } from './service'

export function createDeskHandlers(
  deps: CoreDeps,
  desk: DeskService,
  campaigns: CampaignsService,
  settings: () => Settings
): DomainHandlers<'desk'> {
  const { db, audit, events, clock } = deps
  // Claims and outcomes come many per second in a big centre: the pool views hear of them at most every 2 s.
  let pending: ReturnType<typeof setTimeout> | null = null
  const changed = () => {
    pending ??= setTimeout(() => {
      pending = null
      events.emit('leads.changed', { reason: 'queue' })
    }, 2000)
    pending.unref?.()
  }
  return {
    'desk.next': (_input, ctx) => {
      const { user } = requireUser(ctx)
      const r = desk.next(user)
      if (!r.claim) {
        const tz = settings().timeZone
        const reason = translate(
          ctx.conn.locale,
          r.reason === 'closed' ? 'desk.queue.closed' : 'desk.queue.nothingDue',
          { at: r.nextAt ? formatLocal(r.nextAt, tz) : '—' }
        )
        return { lead: null, reason, nextAt: r.nextAt ? r.nextAt.toISOString() : null }
      }
      const lead = desk.card(user, r.claim.leadId)
      changed()
      return {
        lead,
        source: r.claim.source,
        callbackId: r.claim.callbackId,
        leaseUntil: r.claim.leaseUntil.toISOString(),
        dialMode: campaigns.get(lead.campaignId).settings.dialMode,
        ...(r.claim.unfinishedCallId ? { unfinishedCallId: r.claim.unfinishedCallId } : {})
      }
    },
    'desk.unfinished': (_input, ctx) => {
      const { user } = requireUser(ctx)
      const owed = desk.unfinished(user)
      if (!owed) return null
      const l = desk.lead(owed.leadId)
      const cb = db.prepare("SELECT id FROM callbacks WHERE lead_id = ? AND state = 'pending'").pluck().get(l.id) as
        number | undefined
      return {
        lead: desk.card(user, l.id),
        source:
          (l.lease_from ?? l.status) === 'new' ? ('pool' as const) : cb ? ('callback' as const) : ('batch' as const),
        callbackId: cb ?? null,
        callId: owed.callId,
        endedAt: owed.endedAt,
        wrapUpSec: campaigns.get(l.campaign_id).settings.wrapUpSec
      }
    },
    'desk.dial': (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = desk.dial(user, input.leadId, input.line)
      return { ...r, leaseUntil: r.leaseUntil.toISOString() }
    },
    'desk.renew': (input, ctx) => ({ leaseUntil: desk.renew(requireUser(ctx).user, input.leadId).toISOString() }),
    'desk.release': (input, ctx) => {
      desk.release(requireUser(ctx).user, input.leadId)
      changed()
      return { ok: true as const }
    },
    'desk.outcome': (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = desk.outcome(user, input)
      if (!r.duplicate) changed()
      return r
    },
    'desk.why': (input, ctx) => {
      const { user } = requireUser(ctx)
      const l = desk.lead(input.leadId)
      if (user.role === 'operator') desk.card(user, l.id) // reading rights
      const blocks = desk.blocksFor(l, user, clock.now())
      return { dialable: blocks.length === 0, blocks: blocks.map((b) => desk.rules.describe(b, ctx.conn.locale)) }
    },
    'desk.card': (input, ctx) => desk.card(requireUser(ctx).user, input.leadId),
    'desk.saveCard': (input, ctx) => {
      const { user } = requireUser(ctx)
      desk.saveCard(user, input)
      return desk.card(user, input.leadId)
    },
    'desk.unmask': (input, ctx) => {
      const { user } = requireUser(ctx)
      const l = desk.lead(input.leadId)
      if (!settings().unmaskRoles.includes(user.role)) {
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'desk.unmask.denied',
          entity: 'lead',
          entityId: l.id,
          details: { reason: input.reason },
          source: ctx.conn.source
        })
        throw new AppError('FORBIDDEN', 'errors.unmaskForbidden')
      }
      desk.card(user, l.id) // reading rights
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'desk.unmask',
        entity: 'lead',
        entityId: l.id,
        details: { reason: input.reason },
        source: ctx.conn.source
      })
      return { phone: l.phone }
    },
    'desk.tick': (input, ctx) => {
      const { user } = requireUser(ctx)
      const call = db.prepare('SELECT id FROM calls WHERE id = ? AND operator_id = ?').get(input.callId, user.id)
      if (!call) throw new AppError('NOT_FOUND')
      db.prepare('INSERT OR IGNORE INTO script_ticks (call_id, step_id, offset_ms, at) VALUES (?, ?, ?, ?)').run(
        input.callId,
        input.stepId,
        input.offsetMs,
        clock.now().toISOString()
      )
      return { ok: true as const }
    },
    'desk.setState': (input, ctx) => {
      const { user } = requireUser(ctx)
      if (input.state === 'paused' && !input.reason) throw new AppError('INVALID_INPUT', 'errors.pauseReasonRequired')
      const { since } = desk.setState(user, input.state, input.state === 'paused' ? input.reason! : null)
      return { state: input.state, since: since.toISOString(), wrapUpSec: desk.lastCampaign(user).settings.wrapUpSec }
    },
    'desk.today': (_input, ctx) => {
      const { user } = requireUser(ctx)
      const { from, to } = desk.todayBounds()
      // Real calls only: the simulated line never counts in figures.
      const calls = db
        .prepare(
          `SELECT count(*) AS calls, count(answered_at) AS answered,
             coalesce(sum(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN (julianday(ended_at) - julianday(answered_at)) * 86400 END), 0) AS talk
           FROM calls WHERE operator_id = ? AND started_at >= ? AND started_at < ? AND line = 'sip'`
        )
        .get(user.id, from, to) as { calls: number; answered: number; talk: number }
      const o = db
        .prepare(
          'SELECT coalesce(sum(connected), 0) AS connected, coalesce(sum(success), 0) AS successes FROM outcomes WHERE operator_id = ? AND at >= ? AND at < ? AND simulated = 0'
        )
        .get(user.id, from, to) as { connected: number; successes: number }
      const due = db
        .prepare("SELECT count(*) FROM callbacks WHERE operator_id = ? AND state = 'pending' AND due_at <= ?")
        .pluck()
        .get(user.id, clock.now().toISOString()) as number
      return {
        calls: calls.calls,
        connected: o.connected,
        talkSec: Math.round(calls.talk),
        successes: o.successes,
        target: desk.lastCampaign(user).settings.dailyTarget,
        callbacksDue: due
      }
    },
    'desk.callbacks': (_input, ctx) => {
      const { user } = requireUser(ctx)
      const now = clock.now().toISOString()
      return (
        db
          .prepare(
            `SELECT c.id, c.lead_id, l.name, l.phone, c.due_at, c.operator_id IS NULL AS open, c.note FROM callbacks c JOIN leads l ON l.id = c.lead_id
             WHERE c.state = 'pending' AND (c.operator_id = ? OR c.operator_id IS NULL) ORDER BY c.due_at LIMIT 500`
          )
          .all(user.id) as {
          id: number
          lead_id: number
          name: string | null
          phone: string
          due_at: string
          open: number
          note: string | null
        }[]
      ).map((c) => ({
        id: c.id,
        leadId: c.lead_id,
        name: c.name,
        phone: phoneFor(c.phone, user.role, settings()),
        dueAt: c.due_at,
        open: c.open === 1,
        note: c.note,
        overdue: c.due_at < now
      }))
    },
    'desk.missedCallbacks': (input, ctx) => {
      const { user } = requireUser(ctx)
      const before = new Date(clock.now().getTime() - input.olderThanMinutes * 60_000).toISOString()
      return (
        db
          .prepare(
            `SELECT c.id, c.lead_id, l.name, l.phone, c.due_at, u.display_name AS operator FROM callbacks c JOIN leads l ON l.id = c.lead_id LEFT JOIN users u ON u.id = c.operator_id
             WHERE c.state = 'pending' AND c.due_at < ? ORDER BY c.due_at LIMIT 1000`
          )
          .all(before) as {
          id: number
          lead_id: number
          name: string | null
          phone: string
          due_at: string
          operator: string | null
        }[]
      ).map((c) => ({
        id: c.id,
        leadId: c.lead_id,
        name: c.name,
        phone: phoneFor(c.phone, user.role, settings()),
        dueAt: c.due_at,
        operator: c.operator
      }))
    },
    'desk.board': () =>
      (
        db
          .prepare(
            `SELECT u.id, u.display_name, s.state, s.reason, s.started_at FROM users u
             LEFT JOIN agent_states s ON s.operator_id = u.id AND s.ended_at IS NULL
             WHERE u.role = 'operator' AND u.disabled = 0 ORDER BY u.display_name`
          )
          .all() as {
          id: number
          display_name: string
          state: string | null
          reason: string | null
          started_at: string | null
        }[]
      ).map((r) => ({
        operatorId: r.id,
        name: r.display_name,
        state: (r.state ?? 'offline') as 'offline',
        reason: r.reason,
        since: r.started_at
      }))
  }
}
