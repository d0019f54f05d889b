import type Database from 'better-sqlite3'

/** The text a lead is found by: ^name$ (anchors for two-character name searches), phone, address. */
export function ftsText(name: string | null, phone: string, address: string | null): string {
  return `^${name ?? ''}$ ${phone} ${address ?? ''}`
}

export function indexedUpto(db: Database.Database): number {
  return db.prepare('SELECT upto FROM leads_fts_state WHERE id = 1').pluck().get() as number
}

/**
 * Indexes up to `chunk` leads not yet in the search index, in one short transaction, and says how
 * many it did (0: caught up). Safe to run from several connections: the state is read inside the
 * write transaction.
 */
export function indexPending(db: Database.Database, chunk = 50_000): number {
  return db
    .transaction(() => {
      const upto = indexedUpto(db)
      const rows = db
        .prepare('SELECT id, name, phone, address FROM leads WHERE id > ? ORDER BY id LIMIT ?')
        .all(upto, chunk) as {
        id: number
        name: string | null
        phone: string
        address: string | null
      }[]
      if (!rows.length) return 0
      const ins = db.prepare('INSERT INTO leads_fts (rowid, txt) VALUES (?, ?)')
      for (const r of rows) ins.run(r.id, ftsText(r.name, r.phone, r.address))
      db.prepare('UPDATE leads_fts_state SET upto = ? WHERE id = 1').run(rows[rows.length - 1].id)
      return rows.length
    })
    .immediate()
}

/** Brings the index up to date, a chunk at a time so other writers get their turn in between. */
export function indexAll(db: Database.Database, onChunk?: (indexed: number) => void): number {
  let total = 0
  for (let n = indexPending(db); n > 0; n = indexPending(db)) {
    total += n
    onChunk?.(total)
  }
  return total
}
