import { Repo } from '../db/repo'

export interface PackageRow {
  created_at: string
  name: string
  phone: string
  address: string | null
  district: string
  visit_at: string
  product_interest: string | null
  operator: string
  staff_no: string | null
  agent: string | null
  file: string | null
  recording_id: number | null
}

export interface SmtpRow {
  host: string
  port: number
  secure: number
  plain: number
  user: string
  from_addr: string
  to_addrs: string
  password_sealed: Buffer | null
}

/** The success package: its rows, what happened to each day's mail, and the mail settings. */
export class PackageRepo extends Repo {
  packageRows(day: string): PackageRow[] {
    return this.all(
      `SELECT d.created_at, l.name, l.phone, l.address, di.name AS district, d.visit_at, o.product_interest, ou.display_name AS operator, ou.staff_no,
         au.display_name AS agent, r.file, r.id AS recording_id
       FROM dispatches d JOIN leads l ON l.id = d.lead_id JOIN districts di ON di.code = d.district_code JOIN outcomes o ON o.id = d.outcome_id
       JOIN users ou ON ou.id = d.operator_id LEFT JOIN users au ON au.id = d.agent_id LEFT JOIN recordings r ON r.call_id = d.call_id
       WHERE d.package_day = ? ORDER BY di.code, d.visit_at`,
      day
    )
  }

  packageSent(day: string, successes: number, sentTo: string[], at: string): void {
    this.run(
      `INSERT INTO success_packages (day, successes, sent_to, sent_at, error, tried_at) VALUES (?, ?, ?, ?, NULL, ?)
       ON CONFLICT (day) DO UPDATE SET successes = excluded.successes, sent_to = excluded.sent_to, sent_at = excluded.sent_at, error = NULL, tried_at = excluded.tried_at`,
      day,
      successes,
      JSON.stringify(sentTo),
      at,
      at
    )
  }

  packageFailed(day: string, successes: number, error: string, at: string): void {
    this.run(
      'INSERT INTO success_packages (day, successes, error, tried_at) VALUES (?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET error = excluded.error, tried_at = excluded.tried_at',
      day,
      successes,
      error,
      at
    )
  }

  /** The day's package went, or was tried after `retryAfter`. */
  packageDone(day: string, retryAfter: string): boolean {
    return (
      this.one(
        'SELECT 1 FROM success_packages WHERE day = ? AND (sent_at IS NOT NULL OR tried_at > ?)',
        day,
        retryAfter
      ) !== undefined
    )
  }

  smtp(): SmtpRow | undefined {
    return this.one('SELECT * FROM smtp_settings WHERE id = 1')
  }

  putSmtp(
    s: { host: string; port: number; secure: boolean; plain: boolean; user: string; from: string; to: string[] },
    sealed: Buffer | null
  ) {
    this.run(
      `INSERT INTO smtp_settings (id, host, port, secure, plain, user, from_addr, to_addrs, password_sealed)
       VALUES (1, @host, @port, @secure, @plain, @user, @from, @to, @sealed)
       ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, secure = excluded.secure,
         plain = excluded.plain, user = excluded.user,
         from_addr = excluded.from_addr, to_addrs = excluded.to_addrs, password_sealed = excluded.password_sealed`,
      {
        host: s.host,
        port: s.port,
        secure: s.secure ? 1 : 0,
        plain: s.plain && !s.secure ? 1 : 0,
        user: s.user,
        from: s.from,
        to: JSON.stringify(s.to),
        sealed
      }
    )
  }
}
