import type { Live } from '../../../shared/contract'
import { Repo } from '../db/repo'

export interface OperatorFigures {
  id: number
  name: string
  team_id: number | null
  calls: number
  answered: number
  talk: number
  connected: number
  successes: number
  reviews: number
  qa_avg: number | null
  qa_pass: number | null
}

export interface QueueHealth {
  done: number
  dnc: number
  exhausted: number
  held: number
  retry: number
  ready: number
}

/** Whole days sum the daily figures the triggers keep (migration 0009); a period cut inside a day counts the calls. */
const DAY_COUNTS = `coalesce((SELECT sum(d.calls) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS calls,
  coalesce((SELECT sum(d.answered) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS answered,
  coalesce((SELECT sum(d.talk_sec) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS talk,
  coalesce((SELECT sum(d.connected) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS connected,
  coalesce((SELECT sum(d.successes) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS successes`
const CALL_COUNTS = `(SELECT count(*) FROM calls c WHERE c.operator_id = u.id AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS calls,
  (SELECT count(*) FROM calls c WHERE c.operator_id = u.id AND c.line = 'sip' AND c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS answered,
  (SELECT coalesce(sum(CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL THEN (julianday(c.ended_at) - julianday(c.answered_at)) * 86400 END), 0)
     FROM calls c WHERE c.operator_id = u.id AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS talk,
  (SELECT coalesce(sum(o.connected), 0) FROM outcomes o WHERE o.operator_id = u.id AND o.simulated = 0 AND o.at >= @from AND o.at < @to AND (@campaign IS NULL OR o.campaign_id = @campaign)) AS connected,
  (SELECT coalesce(sum(o.success), 0) FROM outcomes o WHERE o.operator_id = u.id AND o.simulated = 0 AND o.at >= @from AND o.at < @to AND (@campaign IS NULL OR o.campaign_id = @campaign)) AS successes`

/** The supervisors' figures: from the daily rollups and the import batches' funnel, real calls only. */
export class ReportsRepo extends Repo {
  /** Every active operator's open state and today's figures (of the teams in scope; null: all). */
  operatorsToday(day: string, teams: number[] | null) {
    return this.all<{
      id: number
      name: string
      state: Live['operators'][number]['state'] | null
      reason: string | null
      since: string | null
      calls: number
      talk: number
      connected: number
      successes: number
    }>(
      `SELECT u.id, u.display_name AS name, s.state, s.reason, s.started_at AS since,
         coalesce(sum(d.calls), 0) AS calls, coalesce(sum(d.talk_sec), 0) AS talk, coalesce(sum(d.connected), 0) AS connected, coalesce(sum(d.successes), 0) AS successes
       FROM users u LEFT JOIN agent_states s ON s.operator_id = u.id AND s.ended_at IS NULL LEFT JOIN operator_days d ON d.operator_id = u.id AND d.day = @day
       WHERE u.role = 'operator' AND u.disabled = 0 AND (@teams IS NULL OR u.team_id IN (SELECT value FROM json_each(@teams)))
       GROUP BY u.id ORDER BY u.display_name`,
      { day, teams: teams && JSON.stringify(teams) }
    )
  }

  /**
   * Counts the leads added since the last catch-up (imports are not counted by a trigger), at most
   * `chunk` of them, into the per-status counts; how many it counted (0: caught up).
   */
  catchUpCounts(chunk = 50_000): number {
    return this.transaction(() => {
      const upto = this.value<number>('SELECT upto FROM lead_status_counts_state WHERE id = 1')!
      const last = this.value<number | null>(
        'SELECT max(id) FROM (SELECT id FROM leads WHERE id > ? ORDER BY id LIMIT ?)',
        upto,
        chunk
      )
      if (!last) return 0
      this.run(
        `INSERT INTO lead_status_counts (campaign_id, status, n)
         SELECT campaign_id, status, count(*) FROM leads WHERE id > @upto AND id <= @last GROUP BY campaign_id, status
         ON CONFLICT (campaign_id, status) DO UPDATE SET n = n + excluded.n`,
        { upto, last }
      )
      this.run('UPDATE lead_status_counts_state SET upto = ? WHERE id = 1', last)
      return last - upto
    }, 'immediate')
  }

  /**
   * Where a campaign's leads stand now: the kept counts per status, and among the workable leads
   * (new, allocated, callback) those waiting for a retry time and those past the campaign's
   * attempts, from the indexes of leads that have a retry time (a lead dialed before has one).
   */
  queueHealth(campaignId: number, maxAttempts: number, now: string): QueueHealth {
    const by = new Map(
      this.all<{ status: string; n: number }>(
        'SELECT status, n FROM lead_status_counts WHERE campaign_id = ?',
        campaignId
      ).map((r) => [r.status, r.n])
    )
    const n = (...statuses: string[]) => statuses.reduce((a, st) => a + (by.get(st) ?? 0), 0)
    const p = { campaign: campaignId, max: maxAttempts, now }
    // workable leads past the campaign's attempts (dialed ones only: the partial index leads_dialed_workable) …
    const spent = this.value<number>(
      `SELECT count(*) FROM leads WHERE campaign_id = @campaign AND attempts >= @max AND attempts > 0
         AND status IN ('new', 'allocated', 'callback')`,
      p
    )!
    // … and those waiting for their retry time: 'new' ones through the retry index, held ones through the status index
    const retry = this.value<number>(
      `SELECT count(*) FROM (
         SELECT id FROM leads WHERE next_at > @now AND status = 'new' AND campaign_id = @campaign AND attempts < @max AND lease_by IS NULL
         UNION ALL
         SELECT id FROM leads WHERE status IN ('allocated', 'callback') AND status <> 'new' AND campaign_id = @campaign AND next_at > @now
           AND attempts < @max AND lease_by IS NULL)`,
      p
    )!
    const w = { spent, retry }
    const workable = n('new', 'allocated', 'callback')
    return {
      done: n('refused', 'invalid_number', 'accepted'),
      dnc: n('dnc'),
      exhausted: n('exhausted') + w.spent,
      held: n('in_queue', 'in_call'),
      retry: w.retry,
      ready: Math.max(0, workable - w.spent - w.retry)
    }
  }

  /** A campaign's figures today, of the operators of the teams in scope (null: all). */
  campaignToday(day: string, campaignId: number, teams: number[] | null) {
    return this.one<{ calls: number; connected: number; successes: number }>(
      `SELECT coalesce(sum(d.calls), 0) AS calls, coalesce(sum(d.connected), 0) AS connected, coalesce(sum(d.successes), 0) AS successes
       FROM operator_days d JOIN users u ON u.id = d.operator_id WHERE d.day = @day AND d.campaign_id = @campaign AND (@teams IS NULL OR u.team_id IN (SELECT value FROM json_each(@teams)))`,
      { day, campaign: campaignId, teams: teams && JSON.stringify(teams) }
    )!
  }

  /** Callbacks past due: of the operators in scope, and the open ones nobody holds. */
  overdueCallbacks(now: string, teams: number[] | null): number {
    return this.value<number>(
      `SELECT count(*) FROM callbacks c LEFT JOIN users u ON u.id = c.operator_id
       WHERE c.state = 'pending' AND c.due_at < @now AND (c.operator_id IS NULL OR (@teams IS NULL OR u.team_id IN (SELECT value FROM json_each(@teams))))`,
      { now, teams: teams && JSON.stringify(teams) }
    )!
  }

  /** Per operator over a period: `days` when it is whole centre's days (the rollups), else counted from the calls. */
  operators(p: {
    from: string
    to: string
    days: { first: string; end: string } | null
    campaign: number | null
    teams: number[] | null
  }): OperatorFigures[] {
    return this.all(
      `SELECT u.id, u.display_name AS name, u.team_id, ${p.days ? DAY_COUNTS : CALL_COUNTS},
         (SELECT count(*) FROM qa_reviews v JOIN calls c ON c.id = v.call_id WHERE v.operator_id = u.id AND v.state <> 'reopened' AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS reviews,
         (SELECT avg(v.total * 100.0 / nullif(v.max, 0)) FROM qa_reviews v JOIN calls c ON c.id = v.call_id WHERE v.operator_id = u.id AND v.state <> 'reopened' AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS qa_avg,
         (SELECT avg(v.verdict = 'pass') FROM qa_reviews v JOIN calls c ON c.id = v.call_id WHERE v.operator_id = u.id AND v.state <> 'reopened' AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS qa_pass
       FROM users u WHERE u.role = 'operator' AND (@teams IS NULL OR u.team_id IN (SELECT value FROM json_each(@teams))) ORDER BY u.display_name`,
      {
        from: p.from,
        to: p.to,
        first: p.days?.first ?? null,
        end: p.days?.end ?? null,
        campaign: p.campaign,
        teams: p.teams && JSON.stringify(p.teams)
      }
    )
  }

  /** Time in wrap-up and pauses inside the period (a state still open runs until now). */
  stateTimes(from: string, to: string, now: string) {
    return this.all<{ operator_id: number; state: string; reason: string; secs: number }>(
      `SELECT operator_id, state, coalesce(reason, '') AS reason,
         sum((julianday(min(coalesce(ended_at, @now), @to)) - julianday(max(started_at, @from))) * 86400) AS secs
       FROM agent_states WHERE started_at < @to AND coalesce(ended_at, @now) > @from AND state IN ('wrap_up', 'paused')
       GROUP BY operator_id, state, reason`,
      { from, to, now }
    )
  }

  funnel(from: string, to: string) {
    return this.all<{ batch_id: number; batch: string; source: string } & Record<string, number>>(
      `SELECT b.id AS batch_id, b.file_name AS batch, b.source, b.imported, coalesce(f.dialed, 0) AS dialed, coalesce(f.contacted, 0) AS contacted,
         coalesce(f.accepted, 0) AS accepted, coalesce(f.qa_passed, 0) AS qa_passed, coalesce(f.assigned, 0) AS assigned, coalesce(f.visited, 0) AS visited,
         coalesce(f.signed, 0) AS signed, coalesce(f.followed_up, 0) AS followed_up
       FROM import_batches b LEFT JOIN batch_funnel f ON f.batch_id = b.id
       WHERE b.created_at >= ? AND b.created_at < ? ORDER BY b.id`,
      from,
      to
    )
  }

  /** The period's batches with their dialed leads (the funnel's rollup) and bad numbers (a small partial index). */
  numberQuality(from: string, to: string) {
    const batches = this.all<{
      id: number
      file_name: string
      source: string
      rows: number
      imported: number
      invalid: number
      dialed: number
    }>(
      `SELECT b.id, b.file_name, b.source, b.rows, b.imported, b.invalid, coalesce(f.dialed, 0) AS dialed
       FROM import_batches b LEFT JOIN batch_funnel f ON f.batch_id = b.id
       WHERE b.created_at >= ? AND b.created_at < ? ORDER BY b.id`,
      from,
      to
    )
    const bad = this.all<{ batch_id: number; last_outcome: string; n: number }>(
      `SELECT batch_id, last_outcome, count(*) AS n FROM leads
       WHERE batch_id IN (SELECT id FROM import_batches WHERE created_at >= ? AND created_at < ?)
         AND last_outcome IN ('vacant', 'suspended', 'wrong_number') AND (milestones & 1) <> 0
       GROUP BY batch_id, last_outcome`,
      from,
      to
    )
    const of = (id: number, outcome: string) => bad.find((x) => x.batch_id === id && x.last_outcome === outcome)?.n ?? 0
    return batches.map((b) => ({
      ...b,
      vacant: of(b.id, 'vacant'),
      suspended: of(b.id, 'suspended'),
      wrong: of(b.id, 'wrong_number')
    }))
  }

  /** The successes of a period, of the operators of the teams in scope (null: all). */
  successes(from: string, to: string, teams: number[] | null = null) {
    return this.all<{ at: string; name: string; district: string | null; visit_at: string | null; operator: string }>(
      `SELECT o.at, l.name, d.name AS district, o.visit_at, u.display_name AS operator FROM outcomes o JOIN leads l ON l.id = o.lead_id
       LEFT JOIN districts d ON d.code = o.district_code JOIN users u ON u.id = o.operator_id
       WHERE o.success = 1 AND o.simulated = 0 AND o.at >= @from AND o.at < @to
         AND (@teams IS NULL OR u.team_id IN (SELECT value FROM json_each(@teams))) ORDER BY o.at`,
      { from, to, teams: teams && JSON.stringify(teams) }
    )
  }

  dailyReportFile(day: string): string | undefined {
    return this.value('SELECT file FROM daily_reports WHERE day = ?', day)
  }

  keepDailyReport(day: string, file: string, at: string): void {
    this.run(
      'INSERT INTO daily_reports (day, file, created_at) VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET file = excluded.file, created_at = excluded.created_at',
      day,
      file,
      at
    )
  }

  teams(): { id: number; name: string }[] {
    return this.all('SELECT id, name FROM teams ORDER BY name')
  }

  dailyReports(): { day: string; createdAt: string }[] {
    return this.all('SELECT day, created_at AS createdAt FROM daily_reports ORDER BY day DESC LIMIT 400')
  }
}
