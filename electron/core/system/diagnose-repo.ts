import { SystemRepo } from './repo'

/** What a support bundle reads from a data folder's database (read-only, beside a running hub). */
export class DiagnoseRepo extends SystemRepo {
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number
  }

  settings(): { key: string; value: string }[] {
    return this.all('SELECT key, value FROM settings ORDER BY key')
  }

  /** How big the centre is: counts only, never rows. */
  counts(): Record<string, number> {
    const n = (sql: string) => this.value<number>(sql) ?? 0
    return {
      users: n('SELECT count(*) FROM users WHERE disabled = 0'),
      operators: n("SELECT count(*) FROM users WHERE disabled = 0 AND role = 'operator'"),
      leads: n('SELECT count(*) FROM leads'),
      calls: n('SELECT count(*) FROM calls'),
      recordings: n('SELECT count(*) FROM recordings'),
      sipLines: n('SELECT count(*) FROM sip_accounts')
    }
  }
}
