import { Repo } from '../db/repo'

/**
 * The do-not-call list's one writer (manual entries, imports, refusals on the desk): an entry
 * lasts until `expiresAt` (null: for good), an entry already there is only ever lengthened, and
 * it carries the newest reason, source and author.
 */
export class DncList extends Repo {
  put(
    phone: string,
    reason: string,
    source: string,
    userId: number | null,
    at: string,
    expiresAt: string | null
  ): void {
    this.run(
      `INSERT INTO dnc (phone, reason, source, added_by, added_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (phone) DO UPDATE SET reason = excluded.reason, source = excluded.source, added_by = excluded.added_by, added_at = excluded.added_at,
       expires_at = CASE WHEN dnc.expires_at IS NULL OR excluded.expires_at IS NULL THEN NULL ELSE max(dnc.expires_at, excluded.expires_at) END`,
      phone,
      reason,
      source,
      userId,
      at,
      expiresAt
    )
  }

  /** A number on the list is never dialable, whatever else says so. */
  blockLeads(phone: string, at: string): void {
    this.run(
      "UPDATE leads SET status = 'dnc', updated_at = ? WHERE phone = ? AND status NOT IN ('accepted', 'dnc')",
      at,
      phone
    )
  }

  expiry(phone: string): string | null {
    return this.value<string | null>('SELECT expires_at FROM dnc WHERE phone = ?', phone) ?? null
  }

  /** Off the list: its leads that it blocked are dialable again; false when it was not on the list. */
  remove(phone: string, at: string): boolean {
    if (this.run('DELETE FROM dnc WHERE phone = ?', phone).changes === 0) return false
    this.run("UPDATE leads SET status = 'new', updated_at = ? WHERE phone = ? AND status = 'dnc'", at, phone)
    return true
  }

  /** Entries whose number contains these digits, newest first. */
  list(digits: string, limit: number, wholeOnly = false) {
    return this.all<{
      phone: string
      reason: string
      source: string
      addedAt: string
      expiresAt: string | null
      addedBy: string | null
    }>(
      `SELECT d.phone, d.reason, d.source, d.added_at AS addedAt, d.expires_at AS expiresAt, u.username AS addedBy
       FROM dnc d LEFT JOIN users u ON u.id = d.added_by WHERE ${wholeOnly && digits ? 'd.phone = ?' : 'd.phone LIKE ?'}
       ORDER BY d.added_at DESC LIMIT ?`,
      wholeOnly && digits ? digits : digits ? `%${digits}%` : '%',
      limit
    )
  }
}
