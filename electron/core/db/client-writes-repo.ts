import { Repo } from './repo'

/** The table of a seat's write ids (migration 0035). */
export class ClientWritesRepo extends Repo {
  seen(clientId: string): { userId: number; method: string } | undefined {
    return this.one('SELECT user_id AS userId, method FROM client_writes WHERE client_id = ?', clientId)
  }

  add(w: { clientId: string; userId: number; method: string }, verb: 'INSERT' | 'INSERT OR IGNORE'): void {
    this.run(
      `${verb} INTO client_writes (client_id, user_id, method, at) VALUES (?, ?, ?, ?)`,
      w.clientId,
      w.userId,
      w.method,
      new Date().toISOString()
    )
  }

  prune(before: string): number {
    return this.run('DELETE FROM client_writes WHERE at < ?', before).changes
  }

  /** Rows the connection changed since it opened (SQLite's total_changes). */
  totalChanges(): number {
    return this.value<number>('SELECT total_changes()')!
  }
}
