import { randomUUID } from 'node:crypto'
import type { Campaign, Settings, User } from '../../../shared/contract'
import type { z } from 'zod'
import type { outcomeInputSchema } from '../../../shared/contract/desk'
import { atLocal, hhmmToMinutes, localTime } from '../../../shared/domain/calling-time'
import { isPhoneProblem, normalisePhone } from '../../../shared/domain/phone'
import { needsTrunkZero } from '../phone/area'
import type { CampaignsService } from '../campaigns/service'
import type { ConnectionState, CoreDeps } from '../context'
import { AppError } from '../errors'
import { DncList, EVERYWHERE } from '../dnc/list'
import type { CallerIds } from '../caller-id/service'
import type { DomainEvents } from '../domain-events'
import { DialRules, formatLocal, type Block } from './rules'
import { DeskRepo, type LeadRow } from './repo'
import { TrainingLeads } from './training'

type OutcomeInput = z.output<typeof outcomeInputSchema>
export type QueueSource = 'callback' | 'batch' | 'pool'

const MIN = 60_000
/** How many candidates one look at a source takes before giving up on it for this claim. */
const LOOK = 12

export interface Claim {
  leadId: number
  source: QueueSource
  callbackId: number | null
  leaseUntil: Date
  /** The lead comes back for the outcome of this call of mine (the desk was reloaded, crashed, closed). */
  unfinishedCallId?: number
}

/** How long an operator's call without an outcome keeps coming back to them for one. */
const UNFINISHED_WITHIN_MS = 24 * 60 * MIN

/**
 * The operator desk's core: the dial queue (one transaction per claim, leased so no other seat
 * gets the lead), the calling rules, outcomes saved with their call, callbacks, agent states
 * and the operator's figures.
 */
export class DeskService {
  readonly rules: DialRules
  private dnc: DncList
  /** Fresh pool leads below this id are all taken or worked (per campaign); the scan starts here. */
  private poolCursor = new Map<number, number>()

  readonly repo: DeskRepo
  readonly training: TrainingLeads
  /**
   * Whether this hub took over from another within the last minutes (a standby that restored the
   * replica): outcomes sent again by the seats may then name a call or a lease lost with the old hub.
   */
  takeoverWindow: () => boolean = () => false

  constructor(
    private deps: CoreDeps,
    private bus: DomainEvents,
    private campaigns: CampaignsService,
    private settings: () => Settings,
    /** 外显号码池: the number each real dial shows (none when the pool is empty: the PBX's own). */
    private callerIds: CallerIds | null = null
  ) {
    this.repo = new DeskRepo(deps.db)
    this.dnc = new DncList(deps.db, deps.keyedHash)
    this.rules = new DialRules(this.repo, this.dnc, settings, deps.calendar)
    this.training = new TrainingLeads(deps, campaigns)
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  lead(id: number): LeadRow {
    const r = this.repo.lead(id)
    if (!r) throw new AppError('NOT_FOUND')
    return r
  }

  private leaseUntil(now: Date): Date {
    return new Date(now.getTime() + this.settings().leaseMinutes * MIN)
  }

  /** Leases whose desk went silent (a crashed seat) end: each lead goes back where it came from. */
  sweepLeases(): number {
    return this.repo.sweepLeases(this.now().toISOString())
  }

  private claim(lead: LeadRow, userId: number, now: Date): Date {
    const until = this.leaseUntil(now)
    if (!this.repo.lease(lead.id, lead.status, userId, until.toISOString(), now.toISOString()))
      throw new AppError('CONFLICT')
    return until
  }

  /** Which campaigns may feed an operator from the shared pool now. */
  private poolCampaigns(now: Date): Campaign[] {
    return this.campaigns
      .list()
      .filter((c) => c.active && !c.training && c.settings.allowPool && !this.rules.windowBlock(c, now))
  }

  /**
   * The next lead for an operator, claimed in one transaction: a lead already leased to them (a
   * reload), their due callbacks, their batch, then the shared pool. Null when nothing is
   * dialable now, with the soonest time something will be.
   */
  next(
    user: User,
    opts: { training?: boolean } = {}
  ): { claim: Claim } | { claim: null; nextAt: Date | null; reason: 'nothingDue' | 'closed' } {
    // a trainee's desk (the simulated line outside a demo) works the training campaign's made-up customers only
    const training = !!opts.training && !this.settings().demoMode
    return this.repo.transaction(() => {
      const now = this.now()
      const iso = now.toISOString()
      this.sweepLeases()
      let soonest = null as Date | null
      const note = (blocks: Block[]) => {
        const at = DialRules.clearsAt(blocks)
        if (at && (!soonest || at < soonest)) soonest = at
      }
      // A call of mine still owes its outcome: that lead comes back first, for its wrap-up.
      const owed = this.unfinished(user)
      if (owed) {
        const l = this.lead(owed.leadId)
        let until = this.leaseUntil(now)
        // mine again while the outcome is filled in (its lease ran out while the desk was away), so no other seat takes it
        if (l.lease_by === user.id) this.repo.extendLease(l.id, until.toISOString())
        else if (['new', 'allocated', 'callback'].includes(l.status)) until = this.claim(l, user.id, now)
        const cb = this.repo.pendingCallback(l.id)
        return {
          claim: {
            leadId: l.id,
            source: (l.lease_from ?? l.status) === 'new' ? 'pool' : cb ? 'callback' : 'batch',
            callbackId: cb ?? null,
            leaseUntil: until,
            unfinishedCallId: owed.callId
          } as Claim
        }
      }
      let held = this.repo.heldBy(user.id)
      // a lead of the other kind (training, real) than this desk works goes back first
      if (held && this.campaigns.get(held.campaign_id).training !== training) {
        this.repo.giveBackAfter(held.id, user.id, iso, iso)
        held = undefined
      }
      if (held) {
        const until = this.leaseUntil(now)
        this.repo.extendLease(held.id, until.toISOString())
        const cb = this.repo.pendingCallback(held.id)
        return {
          claim: {
            leadId: held.id,
            source: held.lease_from === 'new' ? 'pool' : cb ? 'callback' : 'batch',
            callbackId: cb ?? null,
            leaseUntil: until
          } as Claim
        }
      }

      // The first dialable lead of a source is claimed; blocked ones say when they clear (and pool leads step aside).
      const take = <R extends LeadRow>(
        rows: R[],
        source: QueueSource,
        o: { callback?: boolean; park?: boolean; callbackId?: (l: R) => number } = {}
      ): Claim | null => {
        for (const l of rows) {
          const blocks = this.rules.blocks(l, this.campaigns.get(l.campaign_id), now, {
            forUserId: user.id,
            callback: o.callback
          })
          if (blocks.length) {
            if (o.park) this.park(l, blocks, now)
            note(blocks)
            continue
          }
          return {
            leadId: l.id,
            source,
            callbackId: o.callbackId?.(l) ?? null,
            leaseUntil: this.claim(l, user.id, now)
          }
        }
        return null
      }

      if (training) {
        const l = this.training.next()
        if (!l) return { claim: null, nextAt: null, reason: 'nothingDue' } as const
        return { claim: { leadId: l.id, source: 'pool', callbackId: null, leaseUntil: this.claim(l, user.id, now) } }
      }

      // 1. Callbacks that are due: mine, then open ones of the campaign.
      const callbacks = this.repo.dueCallbacks(user.id, iso, LOOK)
      const fromCallback = take(
        callbacks.filter((l) => l.status === 'callback'),
        'callback',
        { callback: true, callbackId: (l) => l.callback_id }
      )
      if (fromCallback) return { claim: fromCallback }

      // 2. My batch: leads allocated to me (today's first, then retries that are due).
      const today = localTime(now, this.settings().timeZone).day
      const batch = this.repo.batch(user.id, iso, today, LOOK)
      const fromBatch = take(batch, 'batch')
      if (fromBatch) return { claim: fromBatch }
      const laterInBatch = this.repo.nextInBatch(user.id, iso)
      if (laterInBatch && (!soonest || new Date(laterInBatch) < soonest)) soonest = new Date(laterInBatch)

      // 3. The shared pool of campaigns that allow it and are open now: due retries, then fresh leads.
      const open = this.poolCampaigns(now)
      if (open.length) {
        const retries = this.repo.poolRetries(
          open.map((c) => c.id),
          iso,
          LOOK
        )
        const fromRetries = take(retries, 'pool', { park: true })
        if (fromRetries) return { claim: fromRetries }
        for (const c of open) {
          // Fresh leads are nearly all dialable: a few at a time, further only when some are not.
          for (let look = 0; look < 8; look++) {
            const fresh = this.repo.poolFresh(c.id, this.poolCursor.get(c.id) ?? 0, look === 0 ? 3 : LOOK)
            if (!fresh.length) break
            const fromFresh = take(fresh, 'pool', { park: true })
            // Everything below the claimed lead (or below the last one looked at) is taken or parked.
            this.poolCursor.set(c.id, fromFresh ? fromFresh.leadId : fresh[fresh.length - 1].id)
            if (fromFresh) return { claim: fromFresh }
          }
        }
        // nothing now: when the pool's next retry (a skipped lead, a number tried before) comes due
        const later = this.repo.nextPoolRetry(
          open.map((c) => c.id),
          iso
        )
        if (later && (!soonest || new Date(later) < soonest)) soonest = new Date(later)
      }
      const real = this.campaigns.list().filter((c) => c.active && !c.training)
      const anyOpen = real.some((c) => !this.rules.windowBlock(c, now))
      if (!anyOpen) {
        for (const c of real) note([this.rules.windowBlock(c, now)!])
      }
      return { claim: null, nextAt: soonest, reason: anyOpen ? 'nothingDue' : 'closed' } as const
    }, 'immediate')
  }

  /**
   * A pool lead that cannot be dialed for a while steps out of the fresh scan: it waits in the
   * retry index until its block passes (or leaves the queue for good on a lasting DNC).
   */
  private park(l: LeadRow, blocks: Block[], now: Date): void {
    if (blocks.some((b) => b.code === 'dnc' && !b.until)) return this.repo.park(l.id, 'dnc', now.toISOString())
    if (blocks.some((b) => b.code === 'maxAttempts')) return this.repo.park(l.id, 'exhausted', now.toISOString())
    // Only blocks of the lead itself park it; a closed line applies to the whole campaign.
    const own = blocks.filter(
      (b) => b.code === 'dnc' || b.code === 'retryLater' || b.code === 'cap24h' || b.code === 'cap5min'
    )
    const at = DialRules.clearsAt(own)
    if (own.length && at) this.repo.retryAt(l.id, at.toISOString())
  }

  private heldBy(leadId: number, userId: number): LeadRow {
    const l = this.lead(leadId)
    if (l.lease_by !== userId) throw new AppError('CONFLICT', 'errors.notYourLead')
    return l
  }

  /** Dial the lead I hold: the rules once more, one attempt against the caps, a call started. */
  dial(
    user: User,
    leadId: number,
    line: 'sip' | 'simulated'
  ): {
    callId: number
    number: string
    trunkZero: boolean
    recordingNotice: boolean
    scriptId: number | null
    leaseUntil: Date
    /** The caller number to show (E.164), when the pool picked one. */
    callerId: string | null
  } {
    return this.repo.transaction(() => {
      const now = this.now()
      const iso = now.toISOString()
      const l = this.heldBy(leadId, user.id)
      const campaign = this.campaigns.get(l.campaign_id)
      // a made-up customer is practised on the simulated line only, and a real one is never dialled for training
      if (campaign.training && line === 'sip') throw new AppError('CONFLICT', 'errors.trainingLeadRealLine')
      if (!campaign.training && this.isTraining(line)) throw new AppError('CONFLICT', 'errors.trainingRealLead')
      const blocks = campaign.training ? [] : this.blocksFor(l, user, now)
      if (blocks.length) this.rules.refuse(blocks[0])
      const scriptId = this.campaigns.currentScriptId(campaign.id)
      // the number the customer sees: picked and counted for a real dial only
      const shown =
        line === 'sip' && this.callerIds
          ? this.callerIds.take(
              l.phone,
              campaign.id,
              l.phone_province ? { province: l.phone_province, city: l.phone_city ?? '' } : undefined
            )
          : null
      const callId = this.repo.startCall({
        operatorId: user.id,
        leadId: l.id,
        line,
        at: iso,
        campaignId: campaign.id,
        scriptId,
        shownNumber: shown?.number ?? null
      })
      // The simulated line reaches no one: it never counts against the number's caps; outside a demo
      // it is training, and the lead is not touched (no attempt, no call time): the lease only goes on.
      if (line === 'sip') this.countDial(l.phone, l.id, user, callId, iso)
      const until = this.leaseUntil(now)
      if (this.isTraining(line)) this.repo.extendLease(l.id, until.toISOString())
      else this.repo.dialled(l.id, iso, until.toISOString())
      return {
        callId,
        number: l.phone,
        trunkZero: needsTrunkZero(l.phone, this.settings()),
        recordingNotice: campaign.settings.recordingNotice,
        scriptId,
        leaseUntil: until,
        callerId: shown?.e164 ?? null
      }
    }, 'immediate')
  }

  /**
   * A call on the simulated line is training, except in a demo (its customers are made up, and the
   * simulated line stands in for them so that the whole chain can be tried): a training outcome is
   * kept as training and changes nothing real — no do-not-call entry, no callback, no retry, no
   * dispatch, no QA gate; the lead goes back as it was.
   */
  isTraining(line: string | undefined): boolean {
    return line === 'simulated' && !this.settings().demoMode
  }

  /**
   * A number dialed by hand (not a queue lead) on the real line: an outside number must be inside
   * the legal hours, off the do-not-call list and under the per-number caps, and counts against
   * them, and shows one of the centre's numbers (外显, for the default campaign); the number to show,
   * or null. Internal extensions (up to 6 digits) are free.
   */
  checkManualDial(user: User, raw: string, callId: number): string | null {
    const n = normalisePhone(raw, this.settings().areaCode)
    if (isPhoneProblem(n)) return null
    const now = this.now()
    const blocks = [
      this.rules.legalBlock(now),
      this.rules.dncBlock(n.phone, null, now),
      ...this.rules.capBlocks(n.phone, now)
    ].filter((b): b is Block => b !== null)
    if (blocks.length) this.rules.refuse(blocks[0])
    this.countDial(n.phone, null, user, callId, now.toISOString())
    const shown = this.callerIds?.take(n.phone, 1)
    if (!shown?.number) return null
    this.repo.showNumber(callId, shown.number)
    return shown.e164
  }

  /** One dial to a number, against its caps across operators and campaigns. */
  private countDial(phone: string, leadId: number | null, user: User, callId: number, at: string): void {
    this.repo.countDial(phone, leadId, user.id, callId, at)
  }

  /** Why this operator cannot dial the lead now (empty: they can); a callback that is due is the customer's own request. */
  blocksFor(l: LeadRow, user: User, now: Date): Block[] {
    const dueCallback = this.repo.hasDueCallback(l.id, now.toISOString())
    return this.rules.blocks(l, this.campaigns.get(l.campaign_id), now, { forUserId: user.id, callback: dueCallback })
  }

  /** The campaign of the operator's last call (for their wrap-up limit and daily target); the default campaign before any. */
  lastCampaign(user: Pick<User, 'id'>): Campaign {
    return this.campaigns.get(this.repo.lastCampaignOf(user.id) ?? 1)
  }

  renew(user: User, leadId: number): Date {
    const until = this.leaseUntil(this.now())
    if (!this.repo.renewLease(leadId, user.id, until.toISOString()))
      throw new AppError('CONFLICT', 'errors.notYourLead')
    return until
  }

  /**
   * Skip (跳过) a lead I hold and have not dialled: it goes back where it came from, behind the others
   * (a batch lead after the rest of the batch, a pool lead `skips.retryMinutes` later; a callback keeps its time),
   * the skip kept with its reason, at most `skips.perDay` a day.
   */
  release(user: User, leadId: number, reason: string): void {
    this.repo.transaction(() => {
      const now = this.now()
      const iso = now.toISOString()
      const l = this.heldBy(leadId, user.id)
      if (l.status !== 'in_queue') throw new AppError('CONFLICT', 'errors.skipAfterDial')
      const { perDay, retryMinutes } = this.settings().skips
      if (this.repo.skipsSince(user.id, this.todayBounds().from) >= perDay)
        throw new AppError('CONFLICT', 'errors.skipLimit', { max: perDay })
      const later =
        (l.lease_from ?? 'new') === 'allocated' ? iso : new Date(now.getTime() + retryMinutes * MIN).toISOString()
      if (!this.repo.skip(leadId, user.id, reason, iso, later)) throw new AppError('CONFLICT', 'errors.notYourLead')
      this.repo.leadEvent(leadId, iso, user.id, 'skip', { reason })
    }, 'immediate')
  }

  /** An outcome and its consequences, in one transaction with the call; a resend is recognised by its client id. */
  outcome(user: User, input: OutcomeInput): { outcomeId: number; leadStatus: string; duplicate: boolean } {
    return this.repo.transaction(() => {
      const dup = this.repo.outcomeByClientId(input.clientId)
      if (dup) return { outcomeId: dup.id, leadStatus: dup.status, duplicate: true }
      const now = this.now()
      const iso = now.toISOString()
      const l = this.lead(input.leadId)
      let call = input.callId === null ? undefined : this.repo.call(input.callId)
      // After a takeover, an outcome the old hub acknowledged but never replicated comes again: its call
      // (and the lead's lease) may have been lost with that hub. The customer was called and answered
      // so: kept without its call, even if the lead went to another seat meanwhile (the lead's history
      // says so). Only for a few minutes after a takeover.
      const notMine = !call || call.operator_id !== user.id || call.lead_id !== l.id
      const lostInFailover = !!input.resent && this.takeoverWindow() && notMine
      if (lostInFailover) call = undefined
      else if (input.callId !== null && notMine) throw new AppError('NOT_FOUND')
      // A 回访 call is answered on its own form (followUps.complete); a sales outcome never lands on it.
      if (call?.follow_up_id != null) throw new AppError('CONFLICT', 'errors.followUpCallNoOutcome')
      // Mine to close: I hold its lease, or I made this call (the lease may have run out while the desk was offline).
      if (l.lease_by !== user.id && !call && !lostInFailover) throw new AppError('CONFLICT', 'errors.notYourLead')
      if (lostInFailover)
        this.repo.leadEvent(l.id, iso, user.id, 'outcome_after_failover', { lostCallId: input.callId })
      if (call && this.repo.hasOutcome(call.id)) throw new AppError('CONFLICT', 'errors.outcomeExists')
      // a customer whose visit is booked calling back changes nothing of the sale (a problem is a complaint case)
      if (call?.direction === 'inbound' && l.status === 'accepted')
        throw new AppError('CONFLICT', 'errors.inboundOnSale')
      const campaign = this.campaigns.get(l.campaign_id)
      const d = this.campaigns.disposition(campaign.id, input.disposition)
      if (d.callback) {
        if (!input.callbackAt) throw new AppError('INVALID_INPUT', 'errors.callbackTimeRequired')
        if (input.callbackAt <= iso) throw new AppError('INVALID_INPUT', 'errors.callbackInPast')
        // the customer's own callback is made inside the legal hours (not at 03:00, not on a day off by law)
        const block = this.rules.legalBlock(new Date(input.callbackAt))
        if (block)
          throw new AppError('INVALID_INPUT', 'errors.callbackOutsideHours', {
            from: block.until ? formatLocal(block.until, this.settings().timeZone) : '—'
          })
      }
      let district: string | null = null
      if (d.success) {
        if (!input.consent) throw new AppError('INVALID_INPUT', 'errors.consentRequired')
        if (!input.visitAt) throw new AppError('INVALID_INPUT', 'errors.visitTimeRequired')
        // a visit is agreed for later, inside the hours field agents visit (in the centre's zone)
        if (input.visitAt <= iso) throw new AppError('INVALID_INPUT', 'errors.visitInPast')
        const { visitHours, timeZone } = this.settings()
        const at = localTime(new Date(input.visitAt), timeZone).minutes
        if (at < hhmmToMinutes(visitHours.start) || at > hhmmToMinutes(visitHours.end))
          throw new AppError('INVALID_INPUT', 'errors.visitOutsideHours', {
            start: visitHours.start,
            end: visitHours.end
          })
        district = input.districtCode ?? l.district_code
        if (!district) throw new AppError('INVALID_INPUT', 'errors.districtRequiredForSuccess')
        if (!this.repo.districtExists(district))
          throw new AppError('INVALID_INPUT', 'errors.unknownDistrict', { code: district })
      }
      const simulated = call?.line === 'simulated'
      // a made-up customer's outcome is training whatever the line (saved without a call, too)
      const training = this.isTraining(call?.line) || campaign.training
      const outcomeId = this.repo.addOutcome({
        clientId: input.clientId,
        leadId: l.id,
        callId: call?.id ?? null,
        operatorId: user.id,
        campaignId: campaign.id,
        disposition: d.code,
        label: d.label,
        success: d.success ? 1 : 0,
        connected: d.connected ? 1 : 0,
        notes: input.notes ?? null,
        callbackAt: d.callback ? input.callbackAt! : null,
        visitAt: d.success ? input.visitAt! : null,
        districtCode: district,
        consent: input.consent ? 1 : 0,
        productInterest: input.productInterest ?? null,
        simulated: simulated ? 1 : 0,
        at: iso
      })
      if (training) {
        // kept as training (the figures count real calls only); the lead goes back as it was, after the others
        if (l.lease_by === user.id)
          this.repo.giveBackAfter(
            l.id,
            user.id,
            iso,
            new Date(now.getTime() + this.settings().skips.retryMinutes * MIN).toISOString()
          )
        this.repo.leadEvent(l.id, iso, user.id, 'outcome', {
          outcome: d.label,
          callId: call?.id ?? null,
          simulated,
          training
        })
        return { outcomeId, leadStatus: l.lease_by === user.id ? (l.lease_from ?? 'new') : l.status, duplicate: false }
      }
      // Pending callbacks of this lead are answered by this outcome.
      this.repo.closeCallbacks(l.id, iso)
      if (d.dncDays !== null) {
        const expires = d.dncDays === 0 ? null : new Date(now.getTime() + d.dncDays * 24 * 60 * MIN).toISOString()
        this.dnc.put({
          phone: l.phone,
          source: d.dncDays === 0 ? 'customer_request' : 'refusal',
          reason: d.label,
          where: EVERYWHERE,
          effectiveAt: iso,
          expiresAt: expires,
          userId: user.id,
          at: iso
        })
      }
      // Where the lead came from: before its lease, or as it is when the lease has already ended.
      const back = l.lease_by !== null ? (l.lease_from ?? 'new') : l.status
      let status: string
      let nextAt: string | null = null
      let owner = l.owner_id
      if (d.success) status = 'accepted'
      else if (d.callback) {
        status = 'callback'
        if (!input.callbackOpen) owner = owner ?? user.id
        this.repo.addCallback({
          leadId: l.id,
          campaignId: campaign.id,
          operatorId: input.callbackOpen ? null : user.id,
          dueAt: input.callbackAt!,
          note: input.notes ?? null,
          by: user.id,
          at: iso
        })
      } else if (d.final) status = d.dncDays === 0 ? 'dnc' : d.connected ? 'refused' : 'invalid_number'
      else if (l.attempts >= campaign.settings.maxAttempts) status = 'exhausted'
      else {
        status = back === 'callback' ? (owner ? 'allocated' : 'new') : back
        if (status === 'new') owner = null
        nextAt = new Date(now.getTime() + (d.retryMinutes ?? 60) * MIN).toISOString()
      }
      this.repo.settleLead({
        leadId: l.id,
        status,
        nextAt,
        owner,
        outcome: d.code,
        connected: d.connected,
        district,
        at: iso
      })
      this.repo.leadEvent(l.id, iso, user.id, 'outcome', { outcome: d.label, callId: call?.id ?? null, simulated })
      // QA hears of it inside this transaction: the success gate and the review queue (and so dispatch)
      this.bus.publish('outcome.saved', {
        callId: call?.id ?? null,
        leadId: l.id,
        success: d.success,
        campaignId: campaign.id
      })
      return { outcomeId, leadStatus: status, duplicate: false }
    }, 'immediate')
  }

  /**
   * My last call of a lead that has no outcome yet — the page was reloaded or closed during the
   * call or its wrap-up, the browser crashed, the hub restarted: an outcome is owed, and the lead
   * has not moved on since (no outcome for it after the call, no later call, nobody else holds it).
   */
  unfinished(user: Pick<User, 'id'>): { callId: number; leadId: number; endedAt: string | null } | null {
    const since = new Date(this.now().getTime() - UNFINISHED_WITHIN_MS).toISOString()
    return this.repo.unfinished(user.id, since) ?? null
  }

  /** Start and end of today in the centre's time zone, as ISO instants. */
  todayBounds(): { from: string; to: string; day: string } {
    const tz = this.settings().timeZone
    const day = localTime(this.now(), tz).day
    const from = atLocal(day, 0, tz)
    return { from: from.toISOString(), to: new Date(from.getTime() + 24 * 60 * MIN).toISOString(), day }
  }

  /**
   * Each operator's desk seat: the one desk (a browser tab, the desktop app) that works leads for
   * them, known by the seat id the desk sends (kept across its reloads and reconnections), the
   * connection it last spoke through (when that goes, the desk is 离线) and when it last did.
   */
  private seats = new Map<number, { id: string; conn: ConnectionState; seen: number }>()
  /** The seat id of a connection that sends none (a script, a test): the connection is the seat. */
  private connSeats = new WeakMap<ConnectionState, string>()

  private seatIdOf(conn: ConnectionState, given: string | undefined): string {
    if (given) return given
    let id = this.connSeats.get(conn)
    if (!id) this.connSeats.set(conn, (id = `conn-${randomUUID()}`))
    return id
  }

  /** Another desk of the operator, still connected and working within the lease time. */
  private otherLiveSeat(user: User, id: string) {
    const s = this.seats.get(user.id)
    if (!s || s.id === id || s.conn.closed || s.conn.userId !== user.id) return null
    return this.now().getTime() - s.seen < this.settings().leaseMinutes * MIN ? s : null
  }

  /**
   * Whether a return call may ring this operator now: their desk is connected and ready (not on a
   * call, in wrap-up or paused) and holds no other lead.
   */
  isFree(userId: number, leadId: number | null): boolean {
    const s = this.seats.get(userId)
    if (!s || s.conn.closed || s.conn.userId !== userId) return false
    if (this.repo.openState(userId)?.state !== 'ready') return false
    const held = this.repo.heldBy(userId)
    return !held || held.id === leadId || (held.lease_until ?? '') < this.now().toISOString()
  }

  /**
   * One operator works one lead at one desk: a second desk (another tab, the desktop app beside the
   * browser) is refused while the first is alive, or takes the seat over when the operator says so
   * — the first desk is told, and core refuses it from then on.
   */
  useSeat(user: User, conn: ConnectionState, given: string | undefined, takeOver = false): void {
    const id = this.seatIdOf(conn, given)
    const live = this.otherLiveSeat(user, id)
    if (live && !takeOver)
      throw new AppError('CONFLICT', 'errors.deskOpenElsewhere', { where: live.conn.source.replace(/^ws /, '') })
    const before = this.seats.get(user.id)
    this.seats.set(user.id, { id, conn, seen: this.now().getTime() })
    if (before && before.id !== id && !before.conn.closed)
      this.deps.events.emit('desk.seat', { userId: user.id, seat: id, where: conn.source.replace(/^ws /, '') })
  }

  /**
   * The agent state the desk derives. The desk that sends it is the operator's seat from then on
   * (a reconnected desk keeps it), until it says it is offline; a second desk while the first is
   * alive changes nothing.
   */
  setState(user: User, state: string, reason: string | null, conn?: ConnectionState, seat?: string): { since: Date } {
    if (conn) {
      const id = this.seatIdOf(conn, seat)
      if (this.otherLiveSeat(user, id)) return { since: this.now() }
      if (state !== 'offline') this.useSeat(user, conn, id)
      else if (this.seats.get(user.id)?.id === id) this.seats.delete(user.id)
    }
    const now = this.now()
    const iso = now.toISOString()
    this.repo.transaction(() => {
      const open = this.repo.openState(user.id)
      if (open && open.state === state && open.reason === reason) return
      if (open) this.repo.endState(open.id, iso)
      this.repo.addState(user.id, state, reason, iso)
    })
    return { since: now }
  }

  /**
   * A connection closed (or stopped answering heartbeats): if it was an operator's seat, the operator is
   * 离线 from now, with the reason, so no report counts the gap as ready time. True when a seat went.
   */
  seatGone(conn: ConnectionState, userId: number | null): boolean {
    if (userId === null || this.seats.get(userId)?.conn !== conn) return false
    this.seats.delete(userId)
    if (!this.deps.db.open) return false
    const iso = this.now().toISOString()
    this.repo.transaction(() => {
      const open = this.repo.openState(userId)
      if (open?.state === 'offline') return
      if (open) this.repo.endState(open.id, iso)
      this.repo.addState(userId, 'offline', 'disconnected', iso)
    })
    return true
  }
}
