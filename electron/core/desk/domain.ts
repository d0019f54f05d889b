import type { Settings } from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps, DomainHandlers } from '../context'
import { defineDomain } from '../domain'
import { requireUser } from '../context'
import { AppError } from '../errors'
import { formatLocal } from './rules'
import { phoneFor } from '../privacy'
import type { DeskService } from './service'
import type { CustomerCards } from './card'
import type { TeamsService } from '../teams/service'
import type { InboundRouter } from '../inbound/service'
import type { PbxDial } from '../sip/pbx-dial'

/**
 * The operator's desk (拨号工作台): the dial queue, dialling, outcomes (published as `outcome.saved`),
 * the customer card, callbacks, agent states and the operator's figures.
 */
export function deskDomain(
  deps: CoreDeps,
  desk: DeskService,
  cards: CustomerCards,
  teams: TeamsService,
  campaigns: CampaignsService,
  settings: () => Settings,
  pbxDial: PbxDial,
  inbound: InboundRouter
) {
  const { audit, events, clock } = deps
  const repo = desk.repo
  // Claims and outcomes come many per second in a big centre: the pool views hear of them at most every 2 s.
  let pending: ReturnType<typeof setTimeout> | null = null
  const changed = () => {
    pending ??= setTimeout(() => {
      pending = null
      events.emit('leads.changed', { reason: 'queue' })
    }, 2000)
    pending.unref?.()
  }
  const handlers: DomainHandlers<'desk'> = {
    'desk.next': (input, ctx) => {
      const { user } = requireUser(ctx)
      desk.useSeat(user, ctx.conn, input.seat, input.takeOver)
      const r = desk.next(user, { training: input.training })
      if (!r.claim) {
        const tz = settings().timeZone
        const reason = translate(
          ctx.conn.locale,
          r.reason === 'closed' ? 'desk.queue.closed' : 'desk.queue.nothingDue',
          { at: r.nextAt ? formatLocal(r.nextAt, tz) : '—' }
        )
        return { lead: null, reason, nextAt: r.nextAt ? r.nextAt.toISOString() : null }
      }
      const lead = cards.card(user, r.claim.leadId, { owedCall: !!r.claim.unfinishedCallId })
      changed()
      return {
        lead,
        source: r.claim.source,
        callbackId: r.claim.callbackId,
        callbackNote: r.claim.callbackId ? (repo.callbackNote(r.claim.callbackId) ?? null) : null,
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
      const cb = repo.pendingCallback(l.id)
      return {
        lead: cards.card(user, l.id, { owedCall: true }),
        source:
          (l.lease_from ?? l.status) === 'new' ? ('pool' as const) : cb ? ('callback' as const) : ('batch' as const),
        callbackId: cb ?? null,
        callbackNote: cb ? (repo.callbackNote(cb) ?? null) : null,
        callId: owed.callId,
        endedAt: owed.endedAt,
        wrapUpSec: campaigns.get(l.campaign_id).settings.wrapUpSec
      }
    },
    'desk.inbound': (input, ctx) => {
      const { user } = requireUser(ctx)
      const c = inbound.ringingFor(user, input.callId)
      const l = desk.lead(c.lead_id)
      const cb = repo.pendingCallback(l.id)
      return {
        // the routed call is the operator's: its lead is theirs to read while it rings and after
        lead: cards.card(user, l.id, { owedCall: true }),
        source: cb
          ? ('callback' as const)
          : (l.lease_from ?? l.status) === 'new'
            ? ('pool' as const)
            : ('batch' as const),
        callbackId: cb ?? null,
        callbackNote: cb ? (repo.callbackNote(cb) ?? null) : null,
        callId: c.id,
        wrapUpSec: campaigns.get(l.campaign_id).settings.wrapUpSec
      }
    },
    'desk.dial': (input, ctx) => {
      const { user } = requireUser(ctx)
      desk.useSeat(user, ctx.conn, input.seat)
      const { number, trunkZero, ...r } = desk.dial(user, input.leadId, input.line)
      // the number goes to the PBX (by token), never to the desk
      const dial = pbxDial.target(user.id, r.callId, number, trunkZero, input.line)
      return { ...r, dial, leaseUntil: r.leaseUntil.toISOString() }
    },
    'desk.renew': (input, ctx) => {
      const { user } = requireUser(ctx)
      desk.useSeat(user, ctx.conn, input.seat)
      return { leaseUntil: desk.renew(user, input.leadId).toISOString() }
    },
    'desk.release': (input, ctx) => {
      const { user } = requireUser(ctx)
      desk.useSeat(user, ctx.conn, input.seat)
      desk.release(user, input.leadId, input.reason)
      changed()
      return { ok: true as const }
    },
    'desk.outcome': (input, ctx) => {
      const { user } = requireUser(ctx)
      // resent from the seat's journal (the wire says so) or by an older desk (the input does)
      const r = desk.outcome(user, { ...input, resent: input.resent || ctx.resent })
      if (!r.duplicate) changed()
      return r
    },
    'desk.why': (input, ctx) => {
      const { user } = requireUser(ctx)
      const l = desk.lead(input.leadId)
      if (user.role === 'operator') cards.card(user, l.id) // reading rights
      const blocks = desk.blocksFor(l, user, clock.now())
      return { dialable: blocks.length === 0, blocks: blocks.map((b) => desk.rules.describe(b, ctx.conn.locale)) }
    },
    'desk.card': (input, ctx) => cards.card(requireUser(ctx).user, input.leadId),
    'desk.saveCard': (input, ctx) => {
      const { user } = requireUser(ctx)
      cards.saveCard(user, input)
      return cards.card(user, input.leadId)
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
      cards.card(user, l.id) // reading rights
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
      if (!repo.isOperatorsCall(input.callId, user.id)) throw new AppError('NOT_FOUND')
      repo.tick(input.callId, input.stepId, input.offsetMs, clock.now().toISOString())
      return { ok: true as const }
    },
    'desk.setState': (input, ctx) => {
      const { user } = requireUser(ctx)
      if (input.state === 'paused' && !input.reason) throw new AppError('INVALID_INPUT', 'errors.pauseReasonRequired')
      const { since } = desk.setState(
        user,
        input.state,
        input.state === 'paused' ? input.reason! : null,
        ctx.conn,
        input.seat
      )
      return { state: input.state, since: since.toISOString(), wrapUpSec: desk.lastCampaign(user).settings.wrapUpSec }
    },
    'desk.today': (_input, ctx) => {
      const { user } = requireUser(ctx)
      const { from, to } = desk.todayBounds()
      // Real calls only: the simulated line never counts in figures.
      const f = repo.today(user.id, from, to, clock.now().toISOString())
      return {
        calls: f.calls,
        connected: f.connected,
        talkSec: Math.round(f.talk),
        successes: f.successes,
        target: desk.lastCampaign(user).settings.dailyTarget,
        callbacksDue: f.due,
        skips: repo.skipsSince(user.id, from),
        skipsPerDay: settings().skips.perDay
      }
    },
    'desk.callbacks': (_input, ctx) => {
      const { user } = requireUser(ctx)
      const now = clock.now().toISOString()
      return repo.callbacksOf(user.id).map((c) => ({
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
      return repo.missedCallbacks(before, teams.scopeOf(user, input.teamId)).map((c) => ({
        id: c.id,
        leadId: c.lead_id,
        name: c.name,
        phone: phoneFor(c.phone, user.role, settings()),
        dueAt: c.due_at,
        operator: c.operator
      }))
    },
    'desk.board': (_input, ctx) => {
      // a supervisor sees the operators of their own teams (everyone when they lead none)
      const scope = teams.scopeOf(requireUser(ctx).user, undefined)
      return repo
        .board()
        .filter((r) => teams.inScope(scope, r.id))
        .map((r) => ({
          operatorId: r.id,
          name: r.display_name,
          state: (r.state ?? 'offline') as 'offline',
          reason: r.reason,
          since: r.started_at
        }))
    }
  }
  return defineDomain({
    name: 'desk',
    handlers,
    subscribe: (bus) =>
      bus.on('connection.closed', ({ conn, userId }) => {
        if (desk.seatGone(conn, userId)) bus.publish('board.touched', { reason: 'desk.seatGone' })
      })
  })
}
