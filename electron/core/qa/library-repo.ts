import type { LibraryFilter, LibraryRow, User, Verdict } from '../../../shared/contract'
import { Repo } from '../db/repo'
import type { MetricsRow } from '../recordings/repo'

/** Library rows: one recording with its call, lead, outcome, review, queue entry and metrics. */
const LIBRARY_FROM = `
  FROM recordings r
  JOIN calls c ON c.id = r.call_id
  JOIN users u ON u.id = r.operator_id
  LEFT JOIN campaigns cp ON cp.id = c.campaign_id
  LEFT JOIN leads l ON l.id = c.lead_id
  LEFT JOIN outcomes o ON o.call_id = c.id
  LEFT JOIN districts d ON d.code = coalesce(o.district_code, l.district_code)
  LEFT JOIN qa_reviews v ON v.call_id = c.id
  LEFT JOIN qa_queue q ON q.call_id = c.id
  LEFT JOIN recording_metrics m ON m.recording_id = r.id`
const LIBRARY_COLUMNS = `r.id AS recording_id, c.id AS call_id, r.started_at, r.duration_ms, r.state, c.line, c.direction, r.operator_id, u.display_name AS operator_name,
  cp.name AS campaign_name, c.lead_id, l.name AS customer_name, l.phone, l.phone_province, l.phone_city, c.shown_number, o.label AS outcome, coalesce(o.success, 0) AS success, d.name AS district,
  v.verdict, v.state AS review_state, q.state AS queue_state, q.reasons, q.claimed_by, q.claimed_until,
  m.operator_talk_share, m.customer_talk_share, m.silence_share, m.longest_silence_ms, m.talk_over_share, m.talk_over_ms, m.longest_monologue_ms, m.first_customer_word_ms, m.hung_up_by`
/** The QA state of a library row, in SQL (for the filter) — the same rule as qaState() in library.ts. */
const QA_STATE_SQL = `CASE WHEN v.id IS NOT NULL AND v.state <> 'reopened' THEN v.verdict
  WHEN q.state = 'open' AND q.claimed_by IS NOT NULL AND q.claimed_until > @now THEN 'claimed'
  WHEN q.state = 'open' THEN 'queued' ELSE 'none' END`
const SORT_SQL: Record<string, string> = {
  startedAt: 'r.started_at',
  durationMs: 'r.duration_ms',
  talkOverShare: 'm.talk_over_share',
  silenceShare: 'm.silence_share',
  longestMonologueMs: 'm.longest_monologue_ms',
  operatorTalkShare: 'm.operator_talk_share'
}

export type LibraryDbRow = Partial<MetricsRow> & {
  recording_id: number
  call_id: number
  started_at: string
  duration_ms: number
  state: LibraryRow['state']
  line: LibraryRow['line']
  direction: LibraryRow['direction']
  operator_id: number
  operator_name: string
  campaign_name: string | null
  lead_id: number | null
  customer_name: string | null
  phone: string | null
  phone_province: string | null
  shown_number: string | null
  phone_city: string | null
  outcome: string | null
  success: number
  district: string | null
  verdict: Verdict | null
  review_state: string | null
  queue_state: string | null
  reasons: string | null
  claimed_by: number | null
  claimed_until: string | null
}

export interface OperatorStatsRow {
  operator_id: number
  operator_name: string
  calls: number
  talk_over: number | null
  silence: number | null
  op_talk: number | null
  mono: number | null
  reviews: number
  pass_rate: number | null
  score: number | null
}

/** The recording library's search, the queue as a list, and the per-operator figures. */
export class QaLibraryRepo extends Repo {
  private where(
    filter: LibraryFilter,
    user: User,
    now: string,
    scope: { teams: number[] | null; numbers: boolean }
  ): { sql: string; params: Record<string, unknown> } {
    const w: string[] = []
    const p: Record<string, unknown> = { now }
    // a supervisor's own teams (unless the centre lets supervisors see all)
    if (scope.teams) {
      w.push('u.team_id IN (SELECT value FROM json_each(@teams))')
      p.teams = JSON.stringify(scope.teams)
    }
    if (user.role === 'operator') {
      w.push('r.operator_id = @me')
      p.me = user.id
    }
    const add = (cond: string, key: string, value: unknown) => {
      if (value === undefined || value === '') return
      w.push(cond)
      p[key] = value
    }
    add('r.started_at >= @from', 'from', filter.from)
    add('r.started_at < @to', 'to', filter.to)
    add('r.operator_id = @op', 'op', filter.operatorId)
    add('c.campaign_id = @campaign', 'campaign', filter.campaignId)
    add('o.disposition = @disp', 'disp', filter.disposition)
    add('coalesce(o.district_code, l.district_code) = @district', 'district', filter.districtCode)
    add('l.phone_province = @province', 'province', filter.phoneProvince)
    add('l.phone_city = @city', 'city', filter.phoneCity)
    add(
      'r.duration_ms >= @minMs',
      'minMs',
      filter.minDurationSec === undefined ? undefined : filter.minDurationSec * 1000
    )
    add(
      'r.duration_ms <= @maxMs',
      'maxMs',
      filter.maxDurationSec === undefined ? undefined : filter.maxDurationSec * 1000
    )
    add(`(${QA_STATE_SQL}) = @qaState`, 'qaState', filter.qaState)
    if (filter.queued) w.push("q.state = 'open'")
    if (filter.q) {
      const digits = filter.q.replace(/\D/g, '')
      // part of the number (digits only) or of the name; a role that sees numbers masked finds a call
      // by its whole number only, so that searching is no way to learn the digits behind the mask
      const byNumber = scope.numbers ? 'instr(l.phone, @digits) > 0' : 'l.phone = @digits'
      w.push(
        digits.length >= (scope.numbers ? 3 : 7) ? `(${byNumber} OR instr(l.name, @q) > 0)` : 'instr(l.name, @q) > 0'
      )
      p.digits = digits
      p.q = filter.q
    }
    return { sql: w.length ? `WHERE ${w.join(' AND ')}` : '', params: p }
  }

  /** A page of the library: the rows and how many match in all. */
  search(
    user: User,
    input: { filter: LibraryFilter; sort: string; dir: 'asc' | 'desc'; offset: number; limit: number },
    now: string,
    scope: { teams: number[] | null; numbers: boolean } = { teams: null, numbers: true }
  ): { rows: LibraryDbRow[]; total: number } {
    const { sql, params } = this.where(input.filter, user, now, scope)
    const total = this.value<number>(`SELECT count(*) ${LIBRARY_FROM} ${sql}`, params)!
    const dir = input.dir === 'asc' ? 'ASC' : 'DESC'
    const order = `${SORT_SQL[input.sort] ?? 'r.started_at'} ${dir} NULLS LAST, r.id ${dir}`
    const rows = this.all<LibraryDbRow>(
      `SELECT ${LIBRARY_COLUMNS} ${LIBRARY_FROM} ${sql} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      { ...params, limit: input.limit, offset: input.offset }
    )
    return { rows, total }
  }

  /** The open queue, the gate's successes first, with who holds each claim. */
  openQueue(limit: number) {
    return this.all<LibraryDbRow & { added_at: string; priority: number; holder: string | null }>(
      `SELECT ${LIBRARY_COLUMNS}, q.added_at, q.priority, hu.display_name AS holder ${LIBRARY_FROM} LEFT JOIN users hu ON hu.id = q.claimed_by
       WHERE q.state = 'open' AND r.state <> 'recording' ORDER BY q.priority DESC, q.added_at, q.call_id LIMIT ?`,
      limit
    )
  }

  byRecording(recordingId: number): LibraryDbRow | undefined {
    return this.one(`SELECT ${LIBRARY_COLUMNS} ${LIBRARY_FROM} WHERE r.id = ?`, recordingId)
  }

  /** Real calls' metrics and QA figures per operator over a period. */
  operatorStats(from: string, to: string): OperatorStatsRow[] {
    return this.all(
      `SELECT u.id AS operator_id, u.display_name AS operator_name, count(r.id) AS calls,
         avg(m.talk_over_share) AS talk_over, avg(m.silence_share) AS silence, avg(m.operator_talk_share) AS op_talk, avg(m.longest_monologue_ms) AS mono,
         (SELECT count(*) FROM qa_reviews v JOIN calls c2 ON c2.id = v.call_id WHERE v.operator_id = u.id AND c2.started_at >= @from AND c2.started_at < @to AND v.state <> 'reopened') AS reviews,
         (SELECT avg(CASE WHEN v.verdict = 'pass' THEN 1.0 ELSE 0 END) FROM qa_reviews v JOIN calls c2 ON c2.id = v.call_id WHERE v.operator_id = u.id AND c2.started_at >= @from AND c2.started_at < @to AND v.state <> 'reopened') AS pass_rate,
         (SELECT avg(v.total * 100.0 / nullif(v.max, 0)) FROM qa_reviews v JOIN calls c2 ON c2.id = v.call_id WHERE v.operator_id = u.id AND c2.started_at >= @from AND c2.started_at < @to AND v.state <> 'reopened') AS score
       FROM recordings r JOIN calls c ON c.id = r.call_id JOIN users u ON u.id = r.operator_id LEFT JOIN recording_metrics m ON m.recording_id = r.id
       WHERE c.line = 'sip' AND r.started_at >= @from AND r.started_at < @to AND r.state <> 'recording'
       GROUP BY u.id ORDER BY u.display_name`,
      { from, to }
    )
  }

  /** The stored file of a recording, for the export. */
  recordingFile(id: number): { file: string; sha256: string | null; state: string } | undefined {
    return this.one('SELECT file, sha256, state FROM recordings WHERE id = ?', id)
  }

  campaignOfCall(callId: number): number | null {
    return this.value<number | null>('SELECT campaign_id FROM calls WHERE id = ?', callId) ?? null
  }
}
