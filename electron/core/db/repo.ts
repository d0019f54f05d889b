import type Database from 'better-sqlite3'

type Params = unknown[] | [Record<string, unknown>]

/**
 * The base of every domain's repository: the only place core prepares SQL. A statement is prepared
 * the first time it is used and kept (better-sqlite3 statements are reusable), so a repository's
 * methods can state their SQL where they use it and still never prepare it twice. Rows come back
 * typed by the method's signature; named parameters (`@name`) are preferred over long lists of `?`.
 *
 * This is also the seam for a second storage engine: services see methods, never SQL, and
 * SQLite-only features (FTS5, `local_day()`) stay behind repository methods.
 */
export abstract class Repo {
  private statements = new Map<string, Database.Statement>()

  constructor(protected readonly db: Database.Database) {}

  /** A cached statement; `one`/`all` and `value`/`column` set its pluck mode on every use, as it is shared. */
  protected stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.statements.set(sql, s)
    }
    return s
  }

  /** The first row, or undefined. */
  protected one<R>(sql: string, ...params: Params): R | undefined {
    return this.stmt(sql)
      .pluck(false)
      .get(...params) as R | undefined
  }

  protected all<R>(sql: string, ...params: Params): R[] {
    return this.stmt(sql)
      .pluck(false)
      .all(...params) as R[]
  }

  /** The first column of the first row, or undefined. */
  protected value<V>(sql: string, ...params: Params): V | undefined {
    return this.stmt(sql)
      .pluck(true)
      .get(...params) as V | undefined
  }

  /** The first column of every row. */
  protected column<V>(sql: string, ...params: Params): V[] {
    return this.stmt(sql)
      .pluck(true)
      .all(...params) as V[]
  }

  protected run(sql: string, ...params: Params): Database.RunResult {
    return this.stmt(sql).run(...params)
  }

  /** The row id of an insert. */
  protected insert(sql: string, ...params: Params): number {
    return Number(this.stmt(sql).run(...params).lastInsertRowid)
  }

  /**
   * A line on a lead's history (the card's 历史), written by every domain that acts on a lead — the
   * desk, the pool, QA, dispatch, return calls, SMS, the integration API — with one statement; a
   * null user is the system or an outside caller.
   */
  leadEvent(leadId: number, at: string, userId: number | null, kind: string, details: object | null): void {
    this.run(
      'INSERT INTO lead_events (lead_id, at, user_id, kind, details) VALUES (?, ?, ?, ?, ?)',
      leadId,
      at,
      userId,
      kind,
      details ? JSON.stringify(details) : null
    )
  }

  /**
   * One transaction (nested calls join the outer one). It takes the write lock at once (BEGIN
   * IMMEDIATE), waiting for another connection's write (an import's slice) to finish: a deferred one
   * that reads first and then writes fails at once with SQLITE_BUSY_SNAPSHOT when that other
   * connection commits in between. `deferred` is for reads that need one consistent snapshot.
   */
  transaction<T>(fn: () => T, mode: 'deferred' | 'immediate' = 'immediate'): T {
    const tx = this.db.transaction(fn)
    return mode === 'immediate' ? tx.immediate() : tx()
  }
}
