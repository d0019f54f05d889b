import { Repo } from '../db/repo'

export interface CallerNumberRow {
  id: number
  number: string
  e164: string
  carrier: string
  data_carrier: string | null
  province: string | null
  city: string | null
  line: string
  campaigns: string
  status: 'active' | 'suspended'
  status_reason: string | null
  daily_cap: number
  /** Calls shown from it on the day asked for. */
  calls_today: number
}

export interface NumberHealthRow {
  shown_number: string
  calls: number
  answered: number
  talk_sec: number
  refusals: number
  complaints: number
}

export interface CallerNumberPut {
  number: string
  e164: string
  carrier: string
  dataCarrier: string | null
  province: string | null
  city: string | null
  line: string
  campaigns: number[]
  status: 'active' | 'suspended'
  dailyCap: number
  at: string
}

/** 外显号码池: the caller numbers and their use per day — the pool's one reader and writer. */
export class CallerIdRepo extends Repo {
  /** Every number with its calls of @day, in number order. */
  list(day: string): CallerNumberRow[] {
    return this.all(
      `SELECT n.*, coalesce(d.calls, 0) AS calls_today FROM caller_numbers n
       LEFT JOIN caller_number_days d ON d.number_id = n.id AND d.day = ? ORDER BY n.number`,
      day
    )
  }

  /** The numbers that may show for a call of @campaignId on @day: in use, for that campaign, under their cap. */
  eligible(campaignId: number, day: string): CallerNumberRow[] {
    return this.all(
      `SELECT n.*, coalesce(d.calls, 0) AS calls_today FROM caller_numbers n
       LEFT JOIN caller_number_days d ON d.number_id = n.id AND d.day = @day
       WHERE n.status = 'active' AND coalesce(d.calls, 0) < n.daily_cap
         AND (n.campaigns = '[]' OR EXISTS (SELECT 1 FROM json_each(n.campaigns) WHERE value = @campaignId))
       ORDER BY n.id`,
      { campaignId, day }
    )
  }

  /** One of the centre's numbers, by its digits (a customer calling it back). */
  byNumber(number: string): CallerNumberRow | undefined {
    return this.one('SELECT n.*, 0 AS calls_today FROM caller_numbers n WHERE n.number = ?', number)
  }

  anyActive(): boolean {
    return this.value("SELECT 1 FROM caller_numbers WHERE status = 'active' LIMIT 1") !== undefined
  }

  /** The number this customer (a phone) was last shown since @since, if any. */
  shownToCustomerSince(phone: string, since: string): string | undefined {
    return this.value(
      `SELECT c.shown_number FROM calls c JOIN leads l ON l.id = c.lead_id
       WHERE l.phone = ? AND c.started_at >= ? AND c.shown_number IS NOT NULL ORDER BY c.started_at DESC LIMIT 1`,
      phone,
      since
    )
  }

  /** One call more shown from this number on @day. */
  used(numberId: number, day: string): void {
    this.run(
      `INSERT INTO caller_number_days (number_id, day, calls) VALUES (?, ?, 1)
       ON CONFLICT (number_id, day) DO UPDATE SET calls = calls + 1`,
      numberId,
      day
    )
  }

  /** A number as imported: a new one, or the same number's carrier, line, campaigns, status and cap replaced. */
  put(n: CallerNumberPut): void {
    this.run(
      `INSERT INTO caller_numbers (number, e164, carrier, data_carrier, province, city, line, campaigns, status, daily_cap, created_at, updated_at)
       VALUES (@number, @e164, @carrier, @dataCarrier, @province, @city, @line, @campaigns, @status, @dailyCap, @at, @at)
       ON CONFLICT (number) DO UPDATE SET carrier = excluded.carrier, line = excluded.line, campaigns = excluded.campaigns,
         status = excluded.status, status_reason = NULL, daily_cap = excluded.daily_cap, updated_at = excluded.updated_at`,
      { ...n, campaigns: JSON.stringify(n.campaigns) }
    )
  }

  setStatus(id: number, status: 'active' | 'suspended', reason: string | null, at: string): boolean {
    return (
      this.run(
        'UPDATE caller_numbers SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?',
        status,
        reason,
        at,
        id
      ).changes === 1
    )
  }

  setCap(id: number, cap: number, at: string): boolean {
    return this.run('UPDATE caller_numbers SET daily_cap = ?, updated_at = ? WHERE id = ?', cap, at, id).changes === 1
  }

  /** A campaign named by its id or its name. */
  campaignId(ref: string): number | undefined {
    return this.value<number>(
      'SELECT id FROM campaigns WHERE CAST(id AS TEXT) = ? OR name = ? ORDER BY id LIMIT 1',
      ref,
      ref
    )
  }

  /**
   * Each shown number's health over a period: its real calls, those answered, their talk, the
   * refusals said on them and the complaint cases about them.
   */
  health(from: string, to: string): NumberHealthRow[] {
    return this.all(
      `SELECT c.shown_number, count(*) AS calls, count(c.answered_at) AS answered,
         coalesce(sum(CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL
           THEN (julianday(c.ended_at) - julianday(c.answered_at)) * 86400 END), 0) AS talk_sec,
         coalesce(sum(o.disposition IN ('refused', 'do_not_call')), 0) AS refusals,
         (SELECT count(*) FROM complaints k, json_each(k.call_ids) j JOIN calls kc ON kc.id = j.value
          WHERE kc.shown_number = c.shown_number AND kc.started_at >= @from AND kc.started_at < @to) AS complaints
       FROM calls c LEFT JOIN outcomes o ON o.call_id = c.id
       WHERE c.shown_number IS NOT NULL AND c.started_at >= @from AND c.started_at < @to AND c.line = 'sip'
       GROUP BY c.shown_number`,
      { from, to }
    )
  }
}
