import type Database from 'better-sqlite3'

/**
 * The do-not-call list's one writer (manual entries, imports, refusals on the desk): an entry
 * lasts until `expiresAt` (null: for good), an entry already there is only ever lengthened, and
 * it carries the newest reason, source and author.
 */
export class DncList {
  private upsert: Database.Statement

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO dnc (phone, reason, source, added_by, added_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (phone) DO UPDATE SET reason = excluded.reason, source = excluded.source, added_by = excluded.added_by, added_at = excluded.added_at,
       expires_at = CASE WHEN dnc.expires_at IS NULL OR excluded.expires_at IS NULL THEN NULL ELSE max(dnc.expires_at, excluded.expires_at) END`
    )
  }

  put(
    phone: string,
    reason: string,
    source: string,
    userId: number | null,
    at: string,
    expiresAt: string | null
  ): void {
    this.upsert.run(phone, reason, source, userId, at, expiresAt)
  }
}
