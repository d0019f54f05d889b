import type Database from 'better-sqlite3'
import { AppError } from '../errors'
import { ClientWritesRepo } from './client-writes-repo'

/** A `'resend'` write under way. */
export interface ClientWrite {
  clientId: string
  userId: number
  method: string
  /** Its id was saved in the write's own transaction (`inside`), in a commit of its own (`after`), or not yet. */
  saved: 'inside' | 'after' | null
  /** The handler answered at once and wrote nothing without a transaction: no id to save after it. */
  sync?: boolean
  /** The connection's count of changed rows when the handler began. */
  before?: number
}

/** The id was applied already (found, or saved meanwhile by another send of the same id). */
export class AlreadyApplied extends Error {}

/**
 * A seat's writes applied once (see migration 0035). The id must reach the replica in the same
 * commit as the write, or a takeover could keep the write and lose its id (applied twice when the
 * seat resends it). So it is written at the end of the first transaction of the handler that
 * changed data, before its COMMIT: every transaction of the database passes through here (its
 * `transaction` is wrapped once), and while a write's handler runs its synchronous part — all of a
 * synchronous handler, what an asynchronous one does before its first await — the write is the
 * only thing running (better-sqlite3 is synchronous). A write made without a transaction, or after
 * an await, gets its id in a commit of its own (`after`, counted: the tests expect none).
 */
export class ClientWrites {
  private repo: ClientWritesRepo
  /** How the ids were saved, for the tests. */
  readonly counts = { inside: 0, after: 0 }
  /** The methods whose id was saved apart from their write (none should be). */
  readonly savedAfter = new Set<string>()
  private current: ClientWrite | null = null
  private depth = 0

  constructor(private db: Database.Database) {
    this.repo = new ClientWritesRepo(db)
    const begin = db.transaction.bind(db)
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this
    db.transaction = ((fn: (...a: unknown[]) => unknown) =>
      begin(function (this: unknown, ...args: unknown[]) {
        return self.within(() => fn.apply(this, args))
      })) as typeof db.transaction
  }

  /**
   * A write with this id may go ahead. A resend is looked up first (it was most likely applied); a
   * first send is not — its id is unique unless sent twice, and then its transaction's INSERT fails
   * and undoes it. Refused when the id was used by another user or for another method.
   */
  begin(clientId: string, userId: number, method: string, resent: boolean): ClientWrite {
    const w: ClientWrite = { clientId, userId, method, saved: null }
    if (resent && this.repo.seen(clientId)) throw this.applied(w)
    return w
  }

  /** Its id is known: the same user's same write was applied; anyone else's use of it is refused. */
  private applied(w: ClientWrite): Error {
    const seen = this.repo.seen(w.clientId)
    return seen && seen.userId === w.userId && seen.method === w.method
      ? new AlreadyApplied()
      : new AppError('CONFLICT', 'errors.clientIdReused')
  }

  /** Runs the handler; the transactions of its synchronous part carry the write's id. */
  run<T>(w: ClientWrite | null, fn: () => T): T {
    if (!w) return fn()
    const before = (w.before = this.repo.totalChanges())
    const out = this.resume(w, fn)
    // a synchronous handler that changed nothing needs no id; one that wrote without a transaction gets it now
    w.sync = !(out instanceof Promise) && (!!w.saved || this.repo.totalChanges() === before)
    return out
  }

  /**
   * A handler that writes after an await (it first asked something of the network) runs that part
   * through here (`ctx.writing`): its transaction then carries the id as if nothing had come between.
   */
  resume<T>(w: ClientWrite, fn: () => T): T {
    const prev = this.current
    this.current = w
    try {
      return fn()
    } finally {
      this.current = prev
    }
  }

  /** The handler succeeded: a write whose id no transaction took has it saved now. */
  finish(w: ClientWrite): void {
    if (w.saved || w.sync) return
    this.repo.add(w, 'INSERT OR IGNORE')
    w.saved = 'after'
    this.counts.after++
    this.savedAfter.add(w.method)
  }

  /** Forgets ids older than the given time (a seat resends within minutes of a break). */
  prune(before: string): number {
    return this.repo.prune(before)
  }

  private within<T>(fn: () => T): T {
    const w = this.depth === 0 && this.current && !this.current.saved ? this.current : null
    this.depth++
    try {
      const out = fn()
      if (w && this.repo.totalChanges() > w.before!) {
        try {
          this.repo.add(w, 'INSERT')
        } catch (err) {
          // the same id sent twice at once: the other send saved it first; this transaction is undone
          if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw this.applied(w)
          throw err
        }
        w.saved = 'inside'
        this.counts.inside++
      }
      return out
    } finally {
      this.depth--
    }
  }
}
