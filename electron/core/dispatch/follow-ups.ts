import {
  SEVEN_POINTS,
  type FollowUp,
  type Input,
  type Policy,
  type Settings,
  type User
} from '../../../shared/contract'
import { localTime } from '../../../shared/domain/calling-time'
import type { CoreDeps } from '../context'
import type { OutsideNotice } from '../domain-events'
import { needsTrunkZero } from '../phone/area'
import type { DialRules } from '../desk/rules'
import { AppError } from '../errors'
import { phoneFor } from '../privacy'
import type { ComplaintsService } from '../complaints/service'
import type { CallerIds } from '../caller-id/service'
import { translate } from '../../../shared/i18n'
import type { DispatchRepo, FollowUpRow } from './repo'

/**
 * 回访: a visited customer is called back by the call centre — in the weekly window, or inside the
 * cooling-off period of a new life policy with the seven-point check — and the results are reported
 * per agent and district.
 */
export class FollowUps {
  constructor(
    private deps: CoreDeps,
    private repo: DispatchRepo,
    private rules: DialRules,
    private settings: () => Settings,
    /** A problem a 回访 finds (misleading sale, service, lateness) opens a complaint case with the call linked. */
    private complaints: ComplaintsService,
    private callerIds: CallerIds | null = null,
    /** Outside systems are told of a 回访 done (webhooks). */
    private notify: OutsideNotice | null = null
  ) {}

  private now(): Date {
    return this.deps.clock.now()
  }

  private toFollowUp(r: FollowUpRow, user: User): FollowUp {
    return {
      id: r.id,
      dispatchId: r.dispatch_id,
      leadId: r.lead_id,
      customerName: r.customer_name,
      phone: phoneFor(r.phone, user.role, this.settings()),
      agentName: r.agent_name,
      district: r.district,
      kind: r.kind,
      from: r.from_at,
      dueAt: r.due_at,
      overdue: r.state === 'open' && r.due_at < this.now().toISOString(),
      state: r.state,
      policy: r.policy ? (JSON.parse(r.policy) as Policy) : null,
      result: r.result,
      complaint: r.complaint,
      checks: r.checks ? (JSON.parse(r.checks) as Record<string, 'yes' | 'no'>) : null,
      notes: r.notes,
      doneBy: r.done_by,
      doneAt: r.done_at,
      attempts: r.attempts,
      heldBy: this.heldByOther(r, user.id) ? r.held_by : null,
      secondChannel: r.second_channel,
      cancellation: !!r.cancellation
    }
  }

  private heldByOther(r: { lease_by: number | null; lease_until: string | null }, userId: number): boolean {
    return (
      r.lease_by !== null && r.lease_by !== userId && r.lease_until !== null && r.lease_until > this.now().toISOString()
    )
  }

  /** An operator never sees the 回访 of their own sales: someone other than the seller does it. */
  list(user: User, state: 'open' | 'done', limit: number): FollowUp[] {
    return this.repo
      .followUps(state, limit, user.role === 'operator' ? user.id : null)
      .map((r) => this.toFollowUp(r, user))
  }

  /** The seller never does their own 回访; one held by someone else is theirs until its lease runs out. */
  private mayWork(user: User, f: FollowUpRow) {
    if (f.seller_id === user.id) throw new AppError('FORBIDDEN', 'errors.followUpBySeller')
    if (this.heldByOther(f, user.id)) throw new AppError('CONFLICT', 'errors.followUpHeld', { name: f.held_by ?? '—' })
  }

  /** The softphone calls the customer of a follow-up: a service call, inside the legal hours. */
  dial(
    user: User,
    followUpId: number,
    line: 'sip' | 'simulated'
  ): { callId: number; number: string; trunkZero: boolean; recordingNotice: boolean; callerId: string | null } {
    const f = this.repo.followUp(followUpId)
    if (!f || f.state !== 'open') throw new AppError('NOT_FOUND')
    this.mayWork(user, f)
    const now = this.now()
    if (line === 'sip') {
      const block = this.rules.legalBlock(now)
      if (block) this.rules.refuse(block)
    }
    // the lease: nobody else calls this customer for the 回访 while it runs (renewed by each dial)
    const until = new Date(now.getTime() + this.settings().followUp.leaseMinutes * 60_000).toISOString()
    if (!this.repo.leaseFollowUp(f.id, user.id, now.toISOString(), until))
      throw new AppError('CONFLICT', 'errors.followUpHeld', { name: f.held_by ?? '—' })
    // 外显: the customer sees one of the centre's numbers, the same one all day
    const shown = line === 'sip' && this.callerIds ? this.callerIds.take(f.phone, f.campaign_id) : null
    const callId = this.repo.startFollowUpCall({
      operatorId: user.id,
      leadId: f.lead_id,
      line,
      at: now.toISOString(),
      campaignId: f.campaign_id,
      followUpId: f.id,
      shownNumber: shown?.number ?? null
    })
    return {
      callId,
      number: f.phone,
      trunkZero: needsTrunkZero(f.phone, this.settings()),
      recordingNotice: true,
      callerId: shown?.e164 ?? null
    }
  }

  complete(user: User, input: Input<'followUps.complete'>): FollowUp {
    const iso = this.now().toISOString()
    this.repo.transaction(() => {
      const f = this.repo.followUp(input.followUpId)
      if (!f) throw new AppError('NOT_FOUND')
      if (f.state !== 'open') throw new AppError('CONFLICT', 'errors.followUpDone')
      this.mayWork(user, f)
      if (input.result === 'complaint' && !input.complaint)
        throw new AppError('INVALID_INPUT', 'errors.complaintCategoryRequired')
      // the seven-point check of a cooling-off follow-up: every point answered when the customer was reached
      if (f.kind === 'cooling_off' && input.result !== 'unreachable') {
        const missing = SEVEN_POINTS.filter((p) => !input.checks?.[p])
        if (missing.length)
          throw new AppError('INVALID_INPUT', 'errors.sevenPointsIncomplete', { count: missing.length })
      }
      if (input.callId !== undefined && !this.repo.isFollowUpCall(input.callId, user.id, f.id))
        throw new AppError('NOT_FOUND')
      // a 回访 practised on the simulated line (training, outside a demo) does not close the customer's
      if (input.callId !== undefined && this.repo.callLine(input.callId) === 'simulated' && !this.settings().demoMode)
        throw new AppError('CONFLICT', 'errors.trainingFollowUp')
      if (input.result === 'unreachable') this.mayCloseUnreachable(f, input)
      // the customer was reached: on a call of this 回访 that was answered and recorded, not on a click
      else if (input.callId === undefined || !this.repo.callRecorded(input.callId))
        throw new AppError('INVALID_INPUT', 'errors.followUpNeedsCall')
      this.repo.completeFollowUp({
        id: f.id,
        operatorId: user.id,
        callId: input.callId ?? null,
        result: input.result,
        complaint: input.result === 'complaint' ? input.complaint! : null,
        checks: input.checks ? JSON.stringify(input.checks) : null,
        notes: input.notes ?? null,
        at: iso,
        secondChannel: input.result === 'unreachable' ? input.secondChannel! : null,
        secondChannelNote: input.result === 'unreachable' ? (input.secondChannelNote ?? null) : null,
        cancellation: input.result !== 'unreachable' && !!input.cancellation
      })
      this.notify?.('followup.done', f.lead_id, {
        followUpId: f.id,
        leadId: f.lead_id,
        result: input.result,
        cancellation: input.result !== 'unreachable' && !!input.cancellation,
        at: iso
      })
      // 犹豫期退保: on the lead's history with the recorded call that heard it
      if (input.result !== 'unreachable' && input.cancellation)
        this.repo.leadEvent(f.lead_id, iso, user.id, 'cancellation', { followUpId: f.id, callId: input.callId ?? null })
      if (input.result === 'complaint') {
        const cat = input.complaint!
        this.complaints.open(
          user,
          {
            category: cat === 'misSold' ? 'misSold' : cat === 'attitude' ? 'attitude' : 'other',
            channel: 'follow_up',
            summary: input.notes || translate('zh-CN', `followUps.complaints.${cat}`),
            callId: input.callId,
            followUpId: f.id
          },
          'follow-up'
        )
      }
    }, 'immediate')
    this.deps.events.emit('dispatch.changed', { dispatchId: null })
    return this.toFollowUp(this.repo.followUp(input.followUpId)!, user)
  }

  /**
   * Unreachable is a finding, not a shortcut: at least `unreachableAttempts` calls on at least
   * `unreachableDays` different days of the period (the centre's days; practice calls outside a demo
   * do not count), and the customer told by a second channel (SMS or letter).
   */
  private mayCloseUnreachable(f: FollowUpRow, input: Input<'followUps.complete'>): void {
    const s = this.settings()
    const calls = this.repo
      .followUpCalls(f.id)
      .filter((c) => (c.line === 'sip' || s.demoMode) && c.started_at >= f.from_at && c.started_at < f.due_at)
    const days = new Set(calls.map((c) => localTime(new Date(c.started_at), s.timeZone).day)).size
    if (calls.length < s.followUp.unreachableAttempts || days < s.followUp.unreachableDays)
      throw new AppError('INVALID_INPUT', 'errors.unreachableTooSoon', {
        attempts: calls.length,
        days,
        needAttempts: s.followUp.unreachableAttempts,
        needDays: s.followUp.unreachableDays
      })
    if (!input.secondChannel) throw new AppError('INVALID_INPUT', 'errors.secondChannelRequired')
  }

  report(from: string, to: string) {
    const rows = this.repo.followUpResults(from, to)
    const by = new Map<
      string,
      {
        agent: string
        district: string
        done: number
        inTime: number
        reached: number
        satisfied: number
        complaints: Record<string, number>
        problems: number
        unreachable: number
        cancellations: number
      }
    >()
    for (const r of rows) {
      const k = `${r.district}|${r.agent}`
      const e = by.get(k) ?? {
        agent: r.agent,
        district: r.district,
        done: 0,
        inTime: 0,
        reached: 0,
        satisfied: 0,
        complaints: {},
        problems: 0,
        unreachable: 0,
        cancellations: 0
      }
      e.done += r.n
      e.inTime += r.in_time
      e.cancellations += r.cancellations
      if (r.result !== 'unreachable') e.reached += r.n
      if (r.result === 'complaint') e.problems += r.n
      if (r.result === 'satisfied') e.satisfied += r.n
      if (r.result === 'unreachable') e.unreachable += r.n
      if (r.result === 'complaint')
        e.complaints[r.complaint ?? 'other'] = (e.complaints[r.complaint ?? 'other'] ?? 0) + r.n
      by.set(k, e)
    }
    return [...by.values()]
  }
}
