import { Repo } from '../db/repo'

export interface CallForQueue {
  id: number
  operator_id: number
  campaign_id: number | null
  line: string
  qa_sampled: number | null
  started_at: string
  rec_state: string | null
  recording_id: number | null
  success: number | null
  outcome_id: number | null
}

export interface QueueEntry {
  state: string
  claimed_by: number | null
  claimed_until: string | null
  holder: string | null
}

/** The gate's note on a success that had no recording to review (the supervisors' page says it in words). */
export const NO_RECORDING = 'no_recording'

/** The review queue, the weekly sample, claims, flags and the success gate's state on the lead. */
export class QaQueueRepo extends Repo {
  callForQueue(callId: number): CallForQueue | undefined {
    return this.one(
      `SELECT c.id, c.operator_id, c.campaign_id, c.line, c.qa_sampled, c.started_at, r.state AS rec_state, r.id AS recording_id,
         o.success, o.id AS outcome_id
       FROM calls c LEFT JOIN recordings r ON r.call_id = c.id LEFT JOIN outcomes o ON o.call_id = c.id WHERE c.id = ?`,
      callId
    )
  }

  /** The call's success waits at the QA gate. */
  waitsAtGate(callId: number): boolean {
    return (
      this.one(
        "SELECT 1 FROM leads l JOIN outcomes o ON o.lead_id = l.id WHERE o.call_id = ? AND l.qa_gate = 'pending'",
        callId
      ) !== undefined
    )
  }

  markSampled(callId: number, picked: boolean): void {
    this.run('UPDATE calls SET qa_sampled = ? WHERE id = ?', picked ? 1 : 0, callId)
  }

  /** Counts one more call in an operator's week (the week's seed drawn on its first call). */
  countInWeek(operatorId: number, week: string, seed: number): { seen: number; seed: number } {
    this.run('INSERT OR IGNORE INTO qa_sample_weeks (operator_id, week, seed) VALUES (?, ?, ?)', operatorId, week, seed)
    return this.one<{ seen: number; seed: number }>(
      'UPDATE qa_sample_weeks SET seen = seen + 1 WHERE operator_id = ? AND week = ? RETURNING seen, seed',
      operatorId,
      week
    )!
  }

  countSampled(operatorId: number, week: string): void {
    this.run('UPDATE qa_sample_weeks SET sampled = sampled + 1 WHERE operator_id = ? AND week = ?', operatorId, week)
  }

  entry(callId: number): { reasons: string; priority: number } | undefined {
    return this.one('SELECT reasons, priority FROM qa_queue WHERE call_id = ?', callId)
  }

  addEntry(callId: number, reasons: string[], at: string, priority: number): void {
    this.run(
      'INSERT INTO qa_queue (call_id, reasons, added_at, priority) VALUES (?, ?, ?, ?)',
      callId,
      JSON.stringify(reasons),
      at,
      priority
    )
  }

  updateEntry(callId: number, reasons: string[], priority: number): void {
    this.run(
      'UPDATE qa_queue SET reasons = ?, priority = max(priority, ?) WHERE call_id = ?',
      JSON.stringify(reasons),
      priority,
      callId
    )
  }

  holdAtGate(leadId: number): void {
    this.run("UPDATE leads SET qa_gate = 'pending', qa_note = NULL WHERE id = ?", leadId)
  }

  callOperator(callId: number): number | undefined {
    return this.value('SELECT operator_id FROM calls WHERE id = ?', callId)
  }

  /** The call is of a visit assigned to this field agent. */
  agentHasCall(agentId: number, callId: number): boolean {
    return this.one('SELECT 1 FROM dispatches WHERE call_id = ? AND agent_id = ?', callId, agentId) !== undefined
  }

  /** A success with no recording to review: returned to the supervisors at once. */
  noRecordingAtGate(leadId: number): void {
    this.run(`UPDATE leads SET qa_gate = 'failed', qa_note = '${NO_RECORDING}' WHERE id = ?`, leadId)
  }

  hasRecording(callId: number): boolean {
    return this.one('SELECT 1 FROM recordings WHERE call_id = ?', callId) !== undefined
  }

  addFlag(callId: number, userId: number, reason: string, at: string): void {
    this.run('INSERT INTO qa_flags (call_id, user_id, reason, at) VALUES (?, ?, ?, ?)', callId, userId, reason, at)
  }

  flags(callId: number): { by: string; reason: string; at: string }[] {
    return this.all(
      'SELECT u.display_name AS by, f.reason, f.at FROM qa_flags f JOIN users u ON u.id = f.user_id WHERE f.call_id = ? ORDER BY f.id',
      callId
    )
  }

  /** The next open call whose recording has closed, claimable by this reviewer. */
  nextClaimable(now: string, userId: number): number | undefined {
    return this.value(
      `SELECT q.call_id FROM qa_queue q JOIN recordings r ON r.call_id = q.call_id WHERE q.state = 'open' AND r.state <> 'recording'
         AND (q.claimed_by IS NULL OR q.claimed_until <= ? OR q.claimed_by = ?) ORDER BY q.priority DESC, q.added_at, q.call_id LIMIT 1`,
      now,
      userId
    )
  }

  recordingOf(callId: number): { id: number; state: string } | undefined {
    return this.one('SELECT id, state FROM recordings WHERE call_id = ?', callId)
  }

  queueEntry(callId: number): QueueEntry | undefined {
    return this.one(
      'SELECT q.state, q.claimed_by, q.claimed_until, u.display_name AS holder FROM qa_queue q LEFT JOIN users u ON u.id = q.claimed_by WHERE q.call_id = ?',
      callId
    )
  }

  reviewState(callId: number): string | undefined {
    return this.value('SELECT state FROM qa_reviews WHERE call_id = ?', callId)
  }

  addManualEntry(callId: number, at: string): void {
    this.run('INSERT INTO qa_queue (call_id, reasons, added_at) VALUES (?, \'["manual"]\', ?)', callId, at)
  }

  claim(callId: number, userId: number, until: string): void {
    this.run(
      "UPDATE qa_queue SET state = 'open', claimed_by = ?, claimed_until = ? WHERE call_id = ?",
      userId,
      until,
      callId
    )
  }

  /** Gives a claim back; false when the reviewer did not hold it. */
  release(callId: number, userId: number): boolean {
    return (
      this.run(
        'UPDATE qa_queue SET claimed_by = NULL, claimed_until = NULL WHERE call_id = ? AND claimed_by = ?',
        callId,
        userId
      ).changes === 1
    )
  }

  gateOf(callId: number): 'pending' | 'passed' | 'failed' | null {
    return (
      this.value<'pending' | 'passed' | 'failed' | null>(
        'SELECT l.qa_gate FROM outcomes o JOIN leads l ON l.id = o.lead_id WHERE o.call_id = ? AND o.success = 1',
        callId
      ) ?? null
    )
  }
}
