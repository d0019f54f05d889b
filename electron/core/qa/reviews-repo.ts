import type { Verdict } from '../../../shared/contract'
import { Repo } from '../db/repo'

export interface ReviewRow {
  id: number
  call_id: number
  recording_id: number
  operator_id: number
  reviewer_id: number
  scorecard_id: number
  scores: string
  total: number
  max: number
  auto_failed: number
  verdict: Verdict
  comment: string | null
  state: 'submitted' | 'appealed' | 'final' | 'reopened'
  created_at: string
  updated_at: string
  operator_name: string
  reviewer_name: string
}

export interface ScorecardRow {
  id: number
  campaign_id: number
  version: number
  body: string
  created_at: string
}

export interface ReviewEventRow {
  at: string
  user: string
  action: string
  verdict: Verdict | null
  note: string | null
}

export interface AnnotationRow {
  id: number
  start_ms: number
  end_ms: number
  comment: string
  item_id: string | null
  by: string
  at: string
}

export interface ScoredReview {
  scores: string
  total: number
  max: number
  autoFailed: boolean
  verdict: Verdict
  comment: string | null
}

export interface ReturnedRow {
  lead_id: number
  name: string
  operator_name: string
  operator_id: number
  review_id: number | null
  recording_id: number | null
  verdict: Verdict | null
  qa_note: string | null
  updated_at: string
}

const REVIEW_SELECT = `SELECT v.*, ou.display_name AS operator_name, ru.display_name AS reviewer_name FROM qa_reviews v
  JOIN users ou ON ou.id = v.operator_id JOIN users ru ON ru.id = v.reviewer_id`

/** Scorecards, reviews with their append-only events, appeals, annotations, and the successes QA returned. */
export class QaReviewsRepo extends Repo {
  // ——— scorecards ———

  latestScorecard(campaignId: number): ScorecardRow | undefined {
    return this.one('SELECT * FROM scorecards WHERE campaign_id = ? ORDER BY version DESC LIMIT 1', campaignId)
  }

  scorecard(id: number): ScorecardRow | undefined {
    return this.one('SELECT * FROM scorecards WHERE id = ?', id)
  }

  addScorecard(campaignId: number, body: string, userId: number | null, at: string): void {
    const version =
      (this.value<number | null>('SELECT max(version) FROM scorecards WHERE campaign_id = ?', campaignId) ?? 0) + 1
    this.run(
      'INSERT INTO scorecards (campaign_id, version, body, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
      campaignId,
      version,
      body,
      userId,
      at
    )
  }

  // ——— reviews ———

  byId(id: number): ReviewRow | undefined {
    return this.one(`${REVIEW_SELECT} WHERE v.id = ?`, id)
  }

  byCall(callId: number): ReviewRow | undefined {
    return this.one(`${REVIEW_SELECT} WHERE v.call_id = ?`, callId)
  }

  idOfCall(callId: number): number | undefined {
    return this.value('SELECT id FROM qa_reviews WHERE call_id = ?', callId)
  }

  events(reviewId: number): ReviewEventRow[] {
    return this.all(
      'SELECT e.at, u.display_name AS user, e.action, e.verdict, e.note FROM qa_review_events e JOIN users u ON u.id = e.user_id WHERE e.review_id = ? ORDER BY e.id',
      reviewId
    )
  }

  addEvent(reviewId: number, at: string, userId: number, action: string, verdict: Verdict | null, note: string | null) {
    this.run(
      'INSERT INTO qa_review_events (review_id, at, user_id, action, verdict, note) VALUES (?, ?, ?, ?, ?, ?)',
      reviewId,
      at,
      userId,
      action,
      verdict,
      note
    )
  }

  /** The call with its recording, to be reviewed. */
  callToReview(callId: number) {
    return this.one<{ id: number; operator_id: number; campaign_id: number | null; recording_id: number }>(
      'SELECT c.id, c.operator_id, c.campaign_id, r.id AS recording_id FROM calls c JOIN recordings r ON r.call_id = c.id WHERE c.id = ?',
      callId
    )
  }

  /** The call's campaign and the script version it started with. */
  callScript(callId: number): { campaign_id: number | null; script_id: number | null } | undefined {
    return this.one('SELECT campaign_id, script_id FROM calls WHERE id = ?', callId)
  }

  ticks(callId: number): { step_id: string; offset_ms: number }[] {
    return this.all('SELECT step_id, offset_ms FROM script_ticks WHERE call_id = ? ORDER BY offset_ms', callId)
  }

  claimOf(callId: number): { claimed_by: number | null; state: string } | undefined {
    return this.one('SELECT claimed_by, state FROM qa_queue WHERE call_id = ?', callId)
  }

  resubmit(id: number, reviewerId: number, r: ScoredReview, at: string): void {
    this.run(
      `UPDATE qa_reviews SET reviewer_id = @reviewerId, scores = @scores, total = @total, max = @max, auto_failed = @autoFailed,
         verdict = @verdict, comment = @comment, state = 'submitted', updated_at = @at WHERE id = @id`,
      { id, reviewerId, ...r, autoFailed: r.autoFailed ? 1 : 0, at }
    )
  }

  add(
    call: { id: number; recording_id: number; operator_id: number },
    reviewerId: number,
    scorecardId: number,
    r: ScoredReview,
    at: string
  ): number {
    return this.insert(
      `INSERT INTO qa_reviews (call_id, recording_id, operator_id, reviewer_id, scorecard_id, scores, total, max, auto_failed, verdict, comment, state, created_at, updated_at)
       VALUES (@callId, @recordingId, @operatorId, @reviewerId, @scorecardId, @scores, @total, @max, @autoFailed, @verdict, @comment, 'submitted', @at, @at)`,
      {
        callId: call.id,
        recordingId: call.recording_id,
        operatorId: call.operator_id,
        reviewerId,
        scorecardId,
        ...r,
        autoFailed: r.autoFailed ? 1 : 0,
        at
      }
    )
  }

  /** The call is reviewed: out of the queue. */
  closeQueueEntry(callId: number): void {
    this.run("UPDATE qa_queue SET state = 'done', claimed_by = NULL, claimed_until = NULL WHERE call_id = ?", callId)
  }

  setState(id: number, state: ReviewRow['state'], at: string, verdict?: Verdict): void {
    if (verdict)
      this.run('UPDATE qa_reviews SET state = ?, verdict = ?, updated_at = ? WHERE id = ?', state, verdict, at, id)
    else this.run('UPDATE qa_reviews SET state = ?, updated_at = ? WHERE id = ?', state, at, id)
  }

  /** A reopened review goes back to its reviewer, first in the queue. */
  reopenQueueEntry(callId: number, reviewerId: number, until: string): void {
    this.run(
      "UPDATE qa_queue SET state = 'open', claimed_by = ?, claimed_until = ?, priority = max(priority, 1) WHERE call_id = ?",
      reviewerId,
      until,
      callId
    )
  }

  // ——— the success gate, on the lead ———

  /** The lead whose success this call is, when its campaign has the gate. */
  gatedLeadOfCall(callId: number): { id: number; qa_gate: string } | undefined {
    return this.one(
      'SELECT l.id, l.qa_gate FROM outcomes o JOIN leads l ON l.id = o.lead_id WHERE o.call_id = ? AND o.success = 1 AND l.qa_gate IS NOT NULL',
      callId
    )
  }

  setGate(leadId: number, gate: 'passed' | 'failed', note: string | null, at: string): void {
    this.run('UPDATE leads SET qa_gate = ?, qa_note = ?, updated_at = ? WHERE id = ?', gate, note, at, leadId)
  }

  /** A reopened review holds its success at the gate again. */
  regate(callId: number): void {
    this.run(
      "UPDATE leads SET qa_gate = 'pending' WHERE qa_gate IS NOT NULL AND id = (SELECT lead_id FROM outcomes WHERE call_id = ? AND success = 1)",
      callId
    )
  }

  // ——— annotations ———

  annotations(recordingId: number): AnnotationRow[] {
    return this.all(
      'SELECT a.id, a.start_ms, a.end_ms, a.comment, a.item_id, u.display_name AS by, a.at FROM qa_annotations a JOIN users u ON u.id = a.user_id WHERE a.recording_id = ? ORDER BY a.start_ms, a.id',
      recordingId
    )
  }

  recordingDuration(recordingId: number): number | undefined {
    return this.value('SELECT duration_ms FROM recordings WHERE id = ?', recordingId)
  }

  addAnnotation(a: {
    recordingId: number
    startMs: number
    endMs: number
    comment: string
    itemId: string | null
    userId: number
    at: string
  }): number {
    return this.insert(
      `INSERT INTO qa_annotations (recording_id, start_ms, end_ms, comment, item_id, user_id, at)
       VALUES (@recordingId, @startMs, @endMs, @comment, @itemId, @userId, @at)`,
      a
    )
  }

  deleteAnnotation(id: number, userId: number): boolean {
    return this.run('DELETE FROM qa_annotations WHERE id = ? AND user_id = ?', id, userId).changes === 1
  }

  // ——— the operator's side, the supervisors' side ———

  ofOperator(operatorId: number, limit: number) {
    return this.all<
      ReviewRow & { call_started_at: string; customer_name: string | null; outcome_label: string | null }
    >(
      `SELECT v.*, ou.display_name AS operator_name, ru.display_name AS reviewer_name, c.started_at AS call_started_at, l.name AS customer_name, o.label AS outcome_label
       FROM qa_reviews v JOIN users ou ON ou.id = v.operator_id JOIN users ru ON ru.id = v.reviewer_id JOIN calls c ON c.id = v.call_id
       LEFT JOIN leads l ON l.id = c.lead_id LEFT JOIN outcomes o ON o.call_id = c.id
       WHERE v.operator_id = ? AND v.state <> 'reopened' ORDER BY v.updated_at DESC LIMIT ?`,
      operatorId,
      limit
    )
  }

  /** Reviews under appeal, of the operators of the teams in scope (null: all). */
  appealed(teams: number[] | null) {
    return this.all<ReviewRow & { call_started_at: string; appeal_reason: string | null }>(
      `SELECT v.*, ou.display_name AS operator_name, ru.display_name AS reviewer_name, c.started_at AS call_started_at,
         (SELECT note FROM qa_review_events e WHERE e.review_id = v.id AND e.action = 'appealed' ORDER BY e.id DESC LIMIT 1) AS appeal_reason
       FROM qa_reviews v JOIN users ou ON ou.id = v.operator_id JOIN users ru ON ru.id = v.reviewer_id JOIN calls c ON c.id = v.call_id
       WHERE v.state = 'appealed' AND (@teams IS NULL OR ou.team_id IN (SELECT value FROM json_each(@teams))) ORDER BY v.updated_at`,
      { teams: teams && JSON.stringify(teams) }
    )
  }

  /** Successes QA returned, of the operators of the teams in scope (null: all). */
  returned(teams: number[] | null): ReturnedRow[] {
    return this.all(
      `SELECT l.id AS lead_id, l.name, u.display_name AS operator_name, o.operator_id, v.id AS review_id, v.recording_id, v.verdict, l.qa_note,
         coalesce(v.updated_at, o.at) AS updated_at
       FROM leads l JOIN outcomes o ON o.id = (SELECT max(id) FROM outcomes WHERE lead_id = l.id AND success = 1)
         LEFT JOIN qa_reviews v ON v.call_id = o.call_id JOIN users u ON u.id = o.operator_id
       WHERE l.qa_gate = 'failed' AND l.status = 'accepted' AND (@teams IS NULL OR u.team_id IN (SELECT value FROM json_each(@teams))) ORDER BY updated_at`,
      { teams: teams && JSON.stringify(teams) }
    )
  }

  /** A success QA returned, with its campaign and operator. */
  returnedLead(
    leadId: number
  ): { id: number; campaign_id: number; operator_id: number; qa_note: string | null } | undefined {
    return this.one(
      "SELECT l.id, l.campaign_id, o.operator_id, l.qa_note FROM leads l JOIN outcomes o ON o.lead_id = l.id AND o.success = 1 WHERE l.id = ? AND l.qa_gate = 'failed' AND l.status = 'accepted' ORDER BY o.id DESC LIMIT 1",
      leadId
    )
  }

  /** Back to its operator as a callback due now. */
  recallToOperator(
    lead: { id: number; campaign_id: number; operator_id: number },
    note: string | null,
    by: number,
    at: string
  ) {
    this.run(
      "UPDATE leads SET status = 'callback', owner_id = ?, qa_gate = NULL, next_at = NULL, updated_at = ? WHERE id = ?",
      lead.operator_id,
      at,
      lead.id
    )
    this.run(
      'INSERT INTO callbacks (lead_id, campaign_id, operator_id, due_at, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      lead.id,
      lead.campaign_id,
      lead.operator_id,
      at,
      note,
      by,
      at
    )
  }

  close(leadId: number, at: string): void {
    this.run("UPDATE leads SET status = 'exhausted', qa_gate = NULL, updated_at = ? WHERE id = ?", at, leadId)
  }
}
