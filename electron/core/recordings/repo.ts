import type { CallMetrics, Recording } from '../../../shared/contract'
import { Repo } from '../db/repo'

export interface RecordingRow {
  id: number
  call_id: number
  operator_id: number
  lead_id: number | null
  file: string
  mime: string
  state: Recording['state']
  started_at: string
  ended_at: string | null
  duration_ms: number
  bytes: number
  chunks: number
  sha256: string | null
  peaks: Buffer | null
  peaks_per_sec: number
  retention_class: Recording['retentionClass']
  line: Recording['line']
}

export interface MetricsRow {
  operator_talk_share: number
  customer_talk_share: number
  silence_share: number
  longest_silence_ms: number
  talk_over_share: number
  talk_over_ms: number
  longest_monologue_ms: number
  first_customer_word_ms: number | null
  hung_up_by: CallMetrics['hungUpBy']
}

export function toMetrics(m: MetricsRow): CallMetrics {
  return {
    operatorTalkShare: m.operator_talk_share,
    customerTalkShare: m.customer_talk_share,
    silenceShare: m.silence_share,
    longestSilenceMs: m.longest_silence_ms,
    talkOverShare: m.talk_over_share,
    talkOverMs: m.talk_over_ms,
    longestMonologueMs: m.longest_monologue_ms,
    firstCustomerWordMs: m.first_customer_word_ms,
    hungUpBy: m.hung_up_by
  }
}

/** Calls, their recordings (files are in RecordingFiles) and what the two channels say. */
export class RecordingsRepo extends Repo {
  // ——— calls ———

  startCall(c: {
    operatorId: number
    leadId: number | null
    direction: string
    line: string
    at: string
    campaignId: number
  }): number {
    return this.insert(
      `INSERT INTO calls (operator_id, lead_id, direction, line, started_at, campaign_id)
       VALUES (@operatorId, @leadId, @direction, @line, @at, @campaignId)`,
      c
    )
  }

  /** The operator's call ends (the first end stands); false when it is not theirs. */
  endCall(callId: number, operatorId: number, cause: string, answered: boolean, at: string): boolean {
    return (
      this.run(
        `UPDATE calls SET ended_at = coalesce(ended_at, @at), end_cause = coalesce(end_cause, @cause),
           answered_at = CASE WHEN @answered THEN coalesce(answered_at, started_at) ELSE answered_at END
         WHERE id = @callId AND operator_id = @operatorId`,
        { callId, operatorId, cause, answered: answered ? 1 : 0, at }
      ).changes === 1
    )
  }

  callOf(callId: number, operatorId: number): { id: number; lead_id: number | null } | undefined {
    return this.one('SELECT id, lead_id FROM calls WHERE id = ? AND operator_id = ?', callId, operatorId)
  }

  // ——— recordings ———

  byId(id: number): RecordingRow | undefined {
    return this.one('SELECT r.*, c.line FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.id = ?', id)
  }

  hasRecording(callId: number): boolean {
    return this.one('SELECT 1 FROM recordings WHERE call_id = ?', callId) !== undefined
  }

  /** A new recording of an answered call; its file name comes from its id. */
  start(
    call: { id: number; lead_id: number | null },
    operatorId: number,
    mime: string,
    at: string,
    fileOf: (id: number) => string
  ): { id: number; file: string } {
    return this.transaction(() => {
      const id = this.insert(
        "INSERT INTO recordings (call_id, operator_id, lead_id, file, mime, state, started_at) VALUES (?, ?, ?, '', ?, 'recording', ?)",
        call.id,
        operatorId,
        call.lead_id,
        mime,
        at
      )
      const file = fileOf(id)
      this.run('UPDATE recordings SET file = ? WHERE id = ?', file, id)
      this.run('UPDATE calls SET answered_at = coalesce(answered_at, ?) WHERE id = ?', at, call.id)
      return { id, file }
    })
  }

  chunkWritten(id: number, bytes: number, durationMs: number, at: string): void {
    this.run(
      'UPDATE recordings SET chunks = chunks + 1, bytes = ?, duration_ms = max(duration_ms, ?), last_chunk_at = ? WHERE id = ?',
      bytes,
      durationMs,
      at,
      id
    )
  }

  finish(id: number, f: { at: string; durationMs: number; bytes: number; sha256: string; peaks: Buffer }): void {
    this.run(
      `UPDATE recordings SET state = 'done', ended_at = @at, duration_ms = max(duration_ms, @durationMs), bytes = @bytes,
         sha256 = @sha256, peaks = @peaks WHERE id = @id AND state = 'recording'`,
      { id, ...f }
    )
  }

  /** Open recordings, or those whose last chunk is older than the cutoff. */
  open(cutoff: string | null): RecordingRow[] {
    return this.all(
      "SELECT r.*, c.line FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.state = 'recording' AND (@cutoff IS NULL OR coalesce(r.last_chunk_at, r.started_at) < @cutoff)",
      { cutoff }
    )
  }

  /** Closed as interrupted with what reached the disk; the call ends then too (if it had not). */
  interrupt(
    r: { id: number; call_id: number },
    f: { at: string; bytes: number; sha256: string | null; peaks: Buffer; durationMs: number }
  ) {
    this.run(
      `UPDATE recordings SET state = 'interrupted', ended_at = @at, bytes = @bytes, sha256 = @sha256, peaks = @peaks, duration_ms = @durationMs
       WHERE id = @id AND state = 'recording'`,
      { id: r.id, ...f }
    )
    this.run(
      "UPDATE calls SET ended_at = coalesce(ended_at, ?), end_cause = coalesce(end_cause, 'interrupted') WHERE id = ?",
      f.at,
      r.call_id
    )
  }

  /** An interrupted recording is open again (its seat was only slow); false when it was not interrupted. */
  reopen(r: { id: number; call_id: number }): boolean {
    const done = this.run(
      "UPDATE recordings SET state = 'recording', ended_at = NULL, sha256 = NULL, peaks = NULL WHERE id = ? AND state = 'interrupted'",
      r.id
    )
    if (done.changes !== 1) return false
    this.run("UPDATE calls SET ended_at = NULL, end_cause = NULL WHERE id = ? AND end_cause = 'interrupted'", r.call_id)
    return true
  }

  list(mine: number | null, before: number | null, limit: number) {
    return this.all<RecordingRow & { operator_name: string }>(
      `SELECT r.*, c.line, u.display_name AS operator_name FROM recordings r JOIN calls c ON c.id = r.call_id JOIN users u ON u.id = r.operator_id
       WHERE (@mine IS NULL OR r.operator_id = @mine) AND (@before IS NULL OR r.id < @before) ORDER BY r.id DESC LIMIT @limit`,
      { mine, before, limit }
    )
  }

  // ——— metrics ———

  /** What the metrics are computed from. */
  forMetrics(recordingId: number) {
    return this.one<{ peaks: Buffer | null; peaks_per_sec: number; call_id: number; end_cause: string | null }>(
      'SELECT r.peaks, r.peaks_per_sec, r.call_id, c.end_cause FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.id = ?',
      recordingId
    )
  }

  putMetrics(recordingId: number, m: CallMetrics): void {
    this.run(
      `INSERT OR REPLACE INTO recording_metrics (recording_id, operator_talk_share, customer_talk_share, silence_share, longest_silence_ms, talk_over_share, talk_over_ms, longest_monologue_ms, first_customer_word_ms, hung_up_by)
       VALUES (@recordingId, @operatorTalkShare, @customerTalkShare, @silenceShare, @longestSilenceMs, @talkOverShare, @talkOverMs, @longestMonologueMs, @firstCustomerWordMs, @hungUpBy)`,
      { recordingId, ...m }
    )
  }

  metrics(recordingId: number): MetricsRow | undefined {
    return this.one('SELECT * FROM recording_metrics WHERE recording_id = ?', recordingId)
  }

  /** The recording closed before the call's end said who hung up: its metrics learn it now. */
  hungUpBy(callId: number, by: 'operator' | 'customer'): void {
    this.run(
      "UPDATE recording_metrics SET hung_up_by = ? WHERE hung_up_by = 'unknown' AND recording_id = (SELECT id FROM recordings WHERE call_id = ?)",
      by,
      callId
    )
  }
}
