import type Database from 'better-sqlite3'

export interface SessionRow {
  id: number
  user_id: number
  expires_at: string
  last_seen_at: string
  ended_at: string | null
}

export class SessionsRepo {
  /** Goes up whenever this process ends sessions: cached sessions (AuthService) check it. */
  version = 0
  private insertStmt: Database.Statement
  private byHashStmt: Database.Statement<[string], SessionRow>
  private touchStmt: Database.Statement
  private endStmt: Database.Statement
  private endAllStmt: Database.Statement
  private activeStmt: Database.Statement<[string], { n: number }>
  private liveStmt: Database.Statement<[number, string], { ok: number }>

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO sessions (token_hash, user_id, source, created_at, expires_at, last_seen_at)
       VALUES (@tokenHash, @userId, @source, @now, @expiresAt, @now)`
    )
    this.byHashStmt = db.prepare(
      'SELECT id, user_id, expires_at, last_seen_at, ended_at FROM sessions WHERE token_hash = ?'
    )
    this.touchStmt = db.prepare('UPDATE sessions SET last_seen_at = @now WHERE id = @id')
    this.endStmt = db.prepare(
      'UPDATE sessions SET ended_at = @now, end_reason = @reason WHERE id = @id AND ended_at IS NULL'
    )
    this.endAllStmt = db.prepare(
      'UPDATE sessions SET ended_at = @now, end_reason = @reason WHERE user_id = @userId AND ended_at IS NULL AND id IS NOT @keep'
    )
    this.activeStmt = db.prepare('SELECT count(*) AS n FROM sessions WHERE ended_at IS NULL AND expires_at > ?')
    this.liveStmt = db.prepare(
      'SELECT 1 AS ok FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.ended_at IS NULL AND s.expires_at > ? AND u.disabled = 0'
    )
  }

  create(s: { tokenHash: string; userId: number; source: string; now: string; expiresAt: string }): number {
    return Number(this.insertStmt.run(s).lastInsertRowid)
  }
  byTokenHash(hash: string): SessionRow | undefined {
    return this.byHashStmt.get(hash)
  }
  touch(id: number, now: string): void {
    this.touchStmt.run({ id, now })
  }
  end(id: number, reason: string, now: string): void {
    this.version++
    this.endStmt.run({ id, reason, now })
  }
  /** Ends every open session of a user, except `keep` (the one that asked). */
  endAllOf(userId: number, reason: string, now: string, keep: number | null = null): number {
    this.version++
    return this.endAllStmt.run({ userId, reason, now, keep }).changes
  }
  /** Still open, not expired, its user not disabled. */
  alive(id: number, now: string): boolean {
    return this.liveStmt.get(id, now) !== undefined
  }
  activeCount(now: string): number {
    return this.activeStmt.get(now)!.n
  }
}
