import type Database from 'better-sqlite3'

/** Failed logins per account and address (table login_failures). */
export class LoginFailures {
  private getStmt: Database.Statement<[string, string], { failed: number; locked_until: string | null }>
  private putStmt: Database.Statement
  private clearPairStmt: Database.Statement<[string, string]>

  constructor(db: Database.Database) {
    this.getStmt = db.prepare('SELECT failed, locked_until FROM login_failures WHERE username = ? AND address = ?')
    this.putStmt = db.prepare(
      `INSERT INTO login_failures (username, address, failed, locked_until, updated_at) VALUES (@username, @address, @failed, @lockedUntil, @now)
       ON CONFLICT (username, address) DO UPDATE SET failed = excluded.failed, locked_until = excluded.locked_until, updated_at = excluded.updated_at`
    )
    this.clearPairStmt = db.prepare('DELETE FROM login_failures WHERE username = ? AND address = ?')
  }

  get(username: string, address: string): { failed: number; lockedUntil: string | null } {
    const r = this.getStmt.get(username, address)
    return { failed: r?.failed ?? 0, lockedUntil: r?.locked_until ?? null }
  }

  put(username: string, address: string, failed: number, lockedUntil: string | null, now: string): void {
    this.putStmt.run({ username, address, failed, lockedUntil, now })
  }

  clear(username: string, address: string): void {
    this.clearPairStmt.run(username, address)
  }
}
