/**
 * Reading many customers' whole numbers is what a list thief does: a role that sees numbers whole
 * reads at most `limit` of them an hour through the pool's search (each row returned counts), and
 * the first time in an hour one passes `auditFrom` it is written to the audit log.
 */
export const BULK_READS = { auditFrom: 1_000, limit: 20_000, windowMs: 60 * 60 * 1000 }

export class BulkReads {
  private byUser = new Map<number, { window: number; rows: number; audited: boolean }>()

  constructor(private limits = BULK_READS) {}

  /** Counts rows read; 'audit' the first time past the audit mark this hour, 'refuse' past the limit. */
  count(userId: number, rows: number, now: number): 'ok' | 'audit' | 'refuse' {
    const window = Math.floor(now / this.limits.windowMs)
    let u = this.byUser.get(userId)
    if (!u || u.window !== window) {
      u = { window, rows: 0, audited: false }
      this.byUser.set(userId, u)
    }
    if (u.rows + rows > this.limits.limit) return 'refuse'
    u.rows += rows
    if (!u.audited && u.rows > this.limits.auditFrom) {
      u.audited = true
      return 'audit'
    }
    return 'ok'
  }

  rowsThisHour(userId: number): number {
    return this.byUser.get(userId)?.rows ?? 0
  }
}
