import {
  scorecardBodySchema,
  type Annotation,
  type Review,
  type Scorecard,
  type ScorecardBody,
  type Locale,
  type User,
  type Verdict
} from '../../../shared/contract'
import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps } from '../context'
import type { DomainEvents } from '../domain-events'
import { AppError } from '../errors'
import { translate } from '../../../shared/i18n'
import { NO_RECORDING } from './queue-repo'
import { QaReviewsRepo, type ReviewRow, type ScorecardRow } from './reviews-repo'
import { DEFAULT_SCORECARD, scoreReview } from './scorecard'
import type { TeamScope } from '../teams/service'

const MIN = 60_000

function toScorecard(r: ScorecardRow): Scorecard {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    version: r.version,
    body: scorecardBodySchema.parse(JSON.parse(r.body)),
    createdAt: r.created_at
  }
}

/**
 * Reviews against the campaign's scorecard, appeals and the supervisors' decisions (every step kept,
 * append-only), annotations on the waveform, and the success gate's verdict: a pass publishes
 * `qa.gatePassed`, anything else returns the success to the supervisors.
 */
export class QaReviews {
  readonly repo: QaReviewsRepo

  constructor(
    private deps: CoreDeps,
    private bus: DomainEvents,
    private campaigns: CampaignsService
  ) {
    this.repo = new QaReviewsRepo(deps.db)
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  // ——— scorecards ———

  currentScorecard(campaignId: number): Scorecard {
    this.campaigns.get(campaignId)
    const r = this.repo.latestScorecard(campaignId)
    return r ? toScorecard(r) : this.publishScorecard(campaignId, DEFAULT_SCORECARD, null)
  }

  scorecard(id: number): Scorecard {
    const r = this.repo.scorecard(id)
    if (!r) throw new AppError('NOT_FOUND')
    return toScorecard(r)
  }

  publishScorecard(campaignId: number, body: ScorecardBody, userId: number | null): Scorecard {
    this.campaigns.get(campaignId)
    this.repo.addScorecard(campaignId, JSON.stringify(body), userId, this.now().toISOString())
    return this.currentScorecard(campaignId)
  }

  // ——— reviews ———

  toReview(v: ReviewRow): Review {
    return {
      id: v.id,
      callId: v.call_id,
      recordingId: v.recording_id,
      operatorId: v.operator_id,
      operatorName: v.operator_name,
      reviewerName: v.reviewer_name,
      scorecardId: v.scorecard_id,
      scores: JSON.parse(v.scores) as Review['scores'],
      total: v.total,
      max: v.max,
      autoFailed: v.auto_failed === 1,
      verdict: v.verdict,
      comment: v.comment,
      state: v.state,
      createdAt: v.created_at,
      updatedAt: v.updated_at,
      events: this.repo.events(v.id)
    }
  }

  review(id: number): Review {
    const v = this.repo.byId(id)
    if (!v) throw new AppError('NOT_FOUND')
    return this.toReview(v)
  }

  /** The review of a call, if it has one. */
  reviewOfCall(callId: number): Review | null {
    const id = this.repo.idOfCall(callId)
    return id === undefined ? null : this.review(id)
  }

  private event(reviewId: number, userId: number, action: string, verdict: Verdict | null, note: string | null): void {
    this.repo.addEvent(reviewId, this.now().toISOString(), userId, action, verdict, note)
  }

  /** The mandatory steps of the call's script and the ones the operator ticked. */
  steps(callId: number): {
    ticks: { stepId: string; title: string; mandatory: boolean; offsetMs: number }[]
    missing: { stepId: string; title: string; mandatory: boolean }[]
  } {
    const c = this.repo.callScript(callId)
    if (!c) throw new AppError('NOT_FOUND')
    // the version the call started with (older calls: the campaign's current one)
    const script =
      (c.script_id ? this.campaigns.script(c.script_id) : null) ?? this.campaigns.currentScript(c.campaign_id ?? 1)
    const steps = script?.body.steps ?? []
    const ticked = this.repo.ticks(callId)
    const byId = new Map(steps.map((s) => [s.id, s]))
    return {
      ticks: ticked.map((t) => ({
        stepId: t.step_id,
        title: byId.get(t.step_id)?.title ?? t.step_id,
        mandatory: byId.get(t.step_id)?.mandatory ?? false,
        offsetMs: t.offset_ms
      })),
      missing: steps
        .filter((s) => s.mandatory && !ticked.some((t) => t.step_id === s.id))
        .map((s) => ({ stepId: s.id, title: s.title, mandatory: true }))
    }
  }

  submit(user: User, input: { callId: number; scores: Review['scores']; verdict: Verdict; comment?: string }): Review {
    const iso = this.now().toISOString()
    const comment = input.comment ?? null
    const id = this.repo.transaction(() => {
      const call = this.repo.callToReview(input.callId)
      if (!call) throw new AppError('NOT_FOUND')
      const q = this.repo.claimOf(call.id)
      if (!q || q.claimed_by !== user.id || q.state !== 'open') throw new AppError('CONFLICT', 'errors.qaNotClaimed')
      const existing = this.repo.byCall(call.id)
      if (existing && existing.state !== 'reopened') throw new AppError('CONFLICT', 'errors.qaAlreadyReviewed')
      const card = existing ? this.scorecard(existing.scorecard_id) : this.currentScorecard(call.campaign_id ?? 1)
      const scored = scoreReview(card.body, input.scores, input.verdict)
      const row = { ...scored, scores: JSON.stringify(scored.scores), verdict: input.verdict, comment }
      let reviewId: number
      if (existing) {
        reviewId = existing.id
        this.repo.resubmit(reviewId, user.id, row, iso)
        this.event(reviewId, user.id, 'resubmitted', input.verdict, comment)
      } else {
        reviewId = this.repo.add(call, user.id, card.id, row, iso)
        this.event(reviewId, user.id, 'submitted', input.verdict, comment)
      }
      this.repo.closeQueueEntry(call.id)
      this.settleGate(call.id, input.verdict, comment, user.id)
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'qa.review',
        entity: 'call',
        entityId: call.id,
        details: { verdict: input.verdict, total: scored.total, max: scored.max },
        source: 'core'
      })
      return reviewId
    }, 'immediate')
    const review = this.review(id)
    this.deps.events.emit('qa.changed', { callId: input.callId })
    this.deps.events.emit('qa.reviewed', { userId: review.operatorId, reviewId: id })
    this.deps.events.emit('leads.changed', { reason: 'qa' })
    return review
  }

  /** The success gate follows the call's verdict: a pass releases the lead to dispatch, anything else returns it. */
  private settleGate(callId: number, verdict: Verdict, note: string | null, userId: number): void {
    const l = this.repo.gatedLeadOfCall(callId)
    if (!l) return
    const gate = verdict === 'pass' ? 'passed' : 'failed'
    const at = this.now().toISOString()
    this.repo.setGate(l.id, gate, verdict === 'pass' ? null : note, at)
    this.repo.leadEvent(l.id, at, userId, 'qa_gate', { gate, verdict, callId, note })
    if (gate === 'passed') this.bus.publish('qa.gatePassed', { leadId: l.id, reviewed: true })
  }

  appeal(user: User, reviewId: number, reason: string): Review {
    this.repo.transaction(() => {
      const v = this.repo.byId(reviewId)
      if (!v || v.operator_id !== user.id) throw new AppError('NOT_FOUND')
      if (v.state !== 'submitted' || v.verdict === 'pass') throw new AppError('CONFLICT', 'errors.qaNotAppealable')
      this.repo.setState(reviewId, 'appealed', this.now().toISOString())
      this.event(reviewId, user.id, 'appealed', null, reason)
    })
    this.deps.events.emit('qa.changed', { callId: null })
    return this.review(reviewId)
  }

  decide(
    user: User,
    input: { reviewId: number; decision: 'uphold' | 'overturn' | 'reopen'; verdict?: Verdict; note: string }
  ): Review {
    const iso = this.now().toISOString()
    const v0 = this.repo.transaction(() => {
      const v = this.repo.byId(input.reviewId)
      if (!v) throw new AppError('NOT_FOUND')
      if (input.decision === 'reopen') {
        if (v.state === 'reopened') throw new AppError('CONFLICT', 'errors.qaDecisionState')
        this.repo.setState(v.id, 'reopened', iso)
        // back to its reviewer, who sees it first in the queue
        this.repo.reopenQueueEntry(
          v.call_id,
          v.reviewer_id,
          new Date(this.now().getTime() + 24 * 60 * MIN).toISOString()
        )
        this.repo.regate(v.call_id)
        this.event(v.id, user.id, 'reopened', null, input.note)
        return v
      }
      if (v.state !== 'appealed') throw new AppError('CONFLICT', 'errors.qaDecisionState')
      if (input.decision === 'uphold') {
        this.repo.setState(v.id, 'final', iso)
        this.event(v.id, user.id, 'upheld', v.verdict, input.note)
      } else {
        if (!input.verdict || input.verdict === v.verdict)
          throw new AppError('INVALID_INPUT', 'errors.qaOverturnVerdict')
        this.repo.setState(v.id, 'final', iso, input.verdict)
        this.event(v.id, user.id, 'overturned', input.verdict, input.note)
        this.settleGate(v.call_id, input.verdict, input.note, user.id)
      }
      return v
    }, 'immediate')
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action: `qa.${input.decision}`,
      entity: 'call',
      entityId: v0.call_id,
      details: { reviewId: v0.id, verdict: input.verdict ?? null },
      source: 'core'
    })
    this.deps.events.emit('qa.changed', { callId: v0.call_id })
    this.deps.events.emit('qa.reviewed', { userId: v0.operator_id, reviewId: v0.id })
    return this.review(v0.id)
  }

  // ——— annotations ———

  annotations(recordingId: number): Annotation[] {
    return this.repo.annotations(recordingId).map((a) => ({
      id: a.id,
      startMs: a.start_ms,
      endMs: a.end_ms,
      comment: a.comment,
      itemId: a.item_id,
      by: a.by,
      at: a.at
    }))
  }

  annotate(
    user: User,
    a: { recordingId: number; startMs: number; endMs: number; comment: string; itemId?: string }
  ): Annotation {
    const duration = this.repo.recordingDuration(a.recordingId)
    if (duration === undefined) throw new AppError('NOT_FOUND')
    // a transaction of its own, so a seat's write id goes with it
    const id = this.repo.transaction(() =>
      this.repo.addAnnotation({
        recordingId: a.recordingId,
        startMs: a.startMs,
        endMs: Math.min(a.endMs, Math.max(duration, a.startMs)),
        comment: a.comment,
        itemId: a.itemId ?? null,
        userId: user.id,
        at: this.now().toISOString()
      })
    )
    return this.annotations(a.recordingId).find((x) => x.id === id)!
  }

  deleteAnnotation(user: User, id: number): void {
    if (!this.repo.transaction(() => this.repo.deleteAnnotation(id, user.id))) throw new AppError('NOT_FOUND')
  }

  // ——— the operator's side, the supervisors' side ———

  myReviews(user: User, limit: number) {
    return this.repo.ofOperator(user.id, limit).map((v) => ({
      ...this.toReview(v),
      startedAt: v.call_started_at,
      customerName: v.customer_name,
      outcome: v.outcome_label,
      scorecard: this.scorecard(v.scorecard_id).body,
      annotations: this.annotations(v.recording_id)
    }))
  }

  appeals(teams: TeamScope = null) {
    return this.repo
      .appealed(teams)
      .map((v) => ({ ...this.toReview(v), startedAt: v.call_started_at, appealReason: v.appeal_reason }))
  }

  returned(teams: TeamScope = null) {
    return this.repo.returned(teams).map((r) => ({
      leadId: r.lead_id,
      customerName: r.name,
      operatorName: r.operator_name,
      operatorId: r.operator_id,
      reviewId: r.review_id,
      recordingId: r.recording_id,
      verdict: r.verdict,
      reason: r.qa_note,
      at: r.updated_at
    }))
  }

  /** A success that failed QA: back to its operator as a callback due now, or closed (nothing more in this campaign). */
  settleReturned(
    user: User,
    leadId: number,
    action: 'recall' | 'close',
    note: string | undefined,
    locale: Locale
  ): void {
    const iso = this.now().toISOString()
    this.repo.transaction(() => {
      const l = this.repo.returnedLead(leadId)
      if (!l) throw new AppError('CONFLICT', 'errors.qaNotReturned')
      // the callback says why the operator calls again: QA's reason, and the supervisor's word if any
      const why =
        l.qa_note === NO_RECORDING ? translate(locale, 'qa.appeals.recallNoRecording') : (l.qa_note ?? '').trim()
      const callbackNote = [
        translate(locale, 'qa.appeals.recallNote', { reason: why || translate(locale, 'qa.appeals.recallNoReason') }),
        note ? translate(locale, 'qa.appeals.recallSupervisor', { note }) : ''
      ].join('')
      if (action === 'recall') this.repo.recallToOperator(l, callbackNote, user.id, iso)
      else this.repo.close(l.id, iso)
      this.repo.leadEvent(l.id, iso, user.id, 'qa_returned', { action, note: note ?? null })
    }, 'immediate')
    this.deps.events.emit('leads.changed', { reason: 'qa' })
  }
}
