import { randomInt } from 'node:crypto'
import type { CallMetrics, QaRule, Settings, User } from '../../../shared/contract'
import { localTime } from '../../../shared/domain/calling-time'
import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps } from '../context'
import type { DomainEvents } from '../domain-events'
import { AppError } from '../errors'
import type { RecordingsService } from '../recordings/service'
import { QaQueueRepo } from './queue-repo'

const MIN = 60_000
/** A claim lasts this long; opening the review again renews it. */
export const CLAIM_MS = 30 * MIN

/**
 * The review queue: which calls QA hears (every success, the weekly sample, the metric rules,
 * flags), the success gate a success waits at, and reviewers' claims.
 */
export class QaQueue {
  readonly repo: QaQueueRepo

  constructor(
    private deps: CoreDeps,
    private bus: DomainEvents,
    private campaigns: CampaignsService,
    private recordings: RecordingsService,
    private settings: () => Settings
  ) {
    this.repo = new QaQueueRepo(deps.db)
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  /** An outcome was saved: a success in a gated campaign waits for QA; otherwise it may go on at once. */
  outcomeSaved(o: { callId: number | null; leadId: number; success: boolean; campaignId: number }): void {
    const gated = o.success && this.campaigns.get(o.campaignId).settings.qa.gate
    if (gated && (o.callId === null || !this.repo.hasRecording(o.callId))) {
      // nothing to review (the recorder never started): a sale must be on record (可回溯), so it cannot
      // pass the gate — it goes straight to the supervisors' returned successes, said as 无录音
      this.repo.noRecordingAtGate(o.leadId)
      this.deps.events.emit('qa.changed', { callId: o.callId })
      return
    }
    if (gated) this.repo.holdAtGate(o.leadId)
    if (o.callId !== null) this.consider(o.callId)
    if (o.success && !gated) this.bus.publish('qa.gatePassed', { leadId: o.leadId, reviewed: false })
  }

  /**
   * The queue rules for one call, run when its recording closes and when its outcome is saved
   * (whichever comes last has both): every success, the weekly sample, the metric rules.
   * Simulated calls (training) are queued only when a success of theirs waits at the gate.
   */
  consider(callId: number): void {
    const c = this.repo.callForQueue(callId)
    if (!c || !c.recording_id || c.rec_state === 'recording') return
    const qa = this.campaigns.get(c.campaign_id ?? 1).settings.qa
    const gated = this.repo.waitsAtGate(callId)
    // A success waiting at the gate is reviewed whatever line it was made on; the rules below are for real calls.
    if (c.success === 1 && (gated || (qa.reviewSuccesses && c.line !== 'simulated')))
      this.enqueue(callId, 'success', gated ? 1 : 0)
    if (c.line === 'simulated') return
    const metrics = this.recordings.storedMetrics(c.recording_id)
    if (metrics)
      for (const rule of qa.rules)
        if (matches(rule, metrics))
          this.enqueue(callId, `metric:${rule.metric}${rule.op === 'gt' ? '>' : '<'}${rule.value}`)
    // The sample: other calls with an outcome, each counted once in its operator's week.
    if (c.outcome_id !== null && c.success !== 1 && c.qa_sampled === null) {
      const picked = this.drawSample(c.operator_id, c.started_at, qa.samplePercent)
      this.repo.markSampled(callId, picked)
      if (picked) this.enqueue(callId, 'sample')
    }
  }

  /**
   * One in each block of round(100 / percent) calls of an operator's week, at a position drawn
   * at random per operator and week: the share is exact, and nobody can tell which call it is.
   */
  private drawSample(operatorId: number, startedAt: string, percent: number): boolean {
    if (percent <= 0) return false
    const l = localTime(new Date(startedAt), this.settings().timeZone)
    const monday = new Date(Date.parse(`${l.day}T00:00:00Z`) - (l.weekday - 1) * 24 * 60 * MIN)
      .toISOString()
      .slice(0, 10)
    const w = this.repo.countInWeek(operatorId, monday, randomInt(0, 2 ** 31))
    const block = Math.max(1, Math.round(100 / percent))
    const n = w.seen - 1
    const k = Math.floor(n / block)
    // a different position in every block, from the week's seed
    const position = Math.abs(Math.imul(w.seed ^ (k + 1), 2654435761) ^ (w.seed >>> 7)) % block
    const picked = n % block === position
    if (picked) this.repo.countSampled(operatorId, monday)
    return picked
  }

  /** Puts a call in the queue for a reason (or adds the reason to its entry). */
  enqueue(callId: number, reason: string, priority = 0): void {
    const e = this.repo.entry(callId)
    if (!e) this.repo.addEntry(callId, [reason], this.now().toISOString(), priority)
    else {
      const reasons = JSON.parse(e.reasons) as string[]
      if (reasons.includes(reason) && e.priority >= priority) return
      this.repo.updateEntry(callId, [...new Set([...reasons, reason])], priority)
    }
    this.deps.events.emit('qa.changed', { callId })
  }

  flag(user: User, callId: number, reason: string): void {
    const operatorId = this.repo.callOperator(callId)
    if (operatorId === undefined) throw new AppError('NOT_FOUND')
    if (user.role === 'operator' && operatorId !== user.id) throw new AppError('FORBIDDEN')
    if (user.role === 'field_agent' && !this.repo.agentHasCall(user.id, callId)) throw new AppError('FORBIDDEN')
    if (!this.repo.hasRecording(callId)) throw new AppError('INVALID_INPUT', 'errors.qaNoRecording')
    this.repo.transaction(() => {
      this.repo.addFlag(callId, user.id, reason, this.now().toISOString())
      this.enqueue(callId, 'flag')
    })
  }

  flags(callId: number) {
    return this.repo.flags(callId)
  }

  /** Claims the given call (putting it in the queue if it was not), or the next open one. */
  claim(user: User, callId?: number): { callId: number; recordingId: number; claimedUntil: string } | null {
    const now = this.now()
    const iso = now.toISOString()
    const until = new Date(now.getTime() + CLAIM_MS).toISOString()
    const claimed = this.repo.transaction(() => {
      const id = callId ?? this.repo.nextClaimable(iso, user.id)
      if (id === undefined) return null
      const rec = this.repo.recordingOf(id)
      if (!rec) throw new AppError('NOT_FOUND')
      if (rec.state === 'recording') throw new AppError('CONFLICT', 'errors.qaStillRecording')
      const e = this.repo.queueEntry(id)
      if (e && e.claimed_by !== null && e.claimed_by !== user.id && e.claimed_until! > iso)
        throw new AppError('CONFLICT', 'errors.qaClaimedBy', { name: e.holder ?? '' })
      const review = this.repo.reviewState(id)
      if (review !== undefined && review !== 'reopened') throw new AppError('CONFLICT', 'errors.qaAlreadyReviewed')
      if (!e) this.repo.addManualEntry(id, iso)
      this.repo.claim(id, user.id, until)
      return { callId: id, recordingId: rec.id, claimedUntil: until }
    }, 'immediate')
    if (claimed) this.deps.events.emit('qa.changed', { callId: claimed.callId })
    return claimed
  }

  release(user: User, callId: number): void {
    if (!this.repo.release(callId, user.id)) throw new AppError('CONFLICT', 'errors.qaNotClaimed')
    this.deps.events.emit('qa.changed', { callId })
  }

  claimOf(user: User, callId: number): { by: string | null; until: string | null; mine: boolean } | null {
    const q = this.repo.queueEntry(callId)
    if (!q || q.state !== 'open') return null
    const held = q.claimed_by !== null && q.claimed_until! > this.now().toISOString()
    return { by: held ? q.holder : null, until: held ? q.claimed_until : null, mine: held && q.claimed_by === user.id }
  }

  gateOf(callId: number): 'pending' | 'passed' | 'failed' | null {
    return this.repo.gateOf(callId)
  }
}

function matches(rule: QaRule, m: CallMetrics): boolean {
  const v = m[rule.metric]
  if (v === null) return false
  return rule.op === 'gt' ? v > rule.value : v < rule.value
}
