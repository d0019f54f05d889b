import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { STRIDE } from './prepare'

/** Where an import's prepared rows wait before they are written into the pool. */
export function stageFolder(dataDir: string): string {
  return join(dataDir, 'imports')
}

export function newStageFile(dataDir: string): string {
  mkdirSync(stageFolder(dataDir), { recursive: true, mode: 0o700 })
  return join(stageFolder(dataDir), `stage-${randomBytes(8).toString('hex')}.db`)
}

/** Stage files no batch is being written from: what an import killed while reading its file left. */
export function removeStrayStages(dataDir: string, keep: Set<string>): number {
  let n = 0
  let names: string[]
  try {
    names = readdirSync(stageFolder(dataDir))
  } catch {
    return 0 // no import has run here yet
  }
  for (const name of names) {
    const file = join(stageFolder(dataDir), name)
    if (!/^stage-[0-9a-f]+\.db(-journal)?$/.test(name) || keep.has(file.replace(/-journal$/, ''))) continue
    rmSync(file, { force: true })
    n++
  }
  return n
}

/**
 * An import's prepared rows, in a SQLite file of their own beside the database: the chunks of
 * prepare.ts (STRIDE values a record), each stored whole (v8-serialised) under the number of its
 * first record, in file order. Reading a list writes here only, so it never holds the pool's write
 * lock; the pool then takes the records a short slice at a time, by record number. Nobody else opens
 * the file, so it runs without a journal; it is synced to disk before the import commits to it.
 */
export class ImportStage {
  private db: Database.Database
  private insert: Database.Statement
  private chunkAt: Database.Statement
  private records = 0
  /** The chunk last read, kept: slices are smaller than chunks. */
  private cached: { first: number; values: unknown[] } | null = null

  constructor(
    readonly file: string,
    nativeBinding?: string
  ) {
    this.db = new Database(file, { nativeBinding })
    this.db.pragma('journal_mode = OFF')
    this.db.pragma('synchronous = OFF')
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS chunks (first INTEGER PRIMARY KEY, n INTEGER NOT NULL, data BLOB NOT NULL)'
    )
    this.records = this.db.prepare('SELECT coalesce(max(first + n), 0) FROM chunks').pluck().get() as number
    this.widen()
    this.insert = this.db.prepare('INSERT INTO chunks (first, n, data) VALUES (?, ?, ?)')
    this.chunkAt = this.db.prepare('SELECT first, data FROM chunks WHERE first <= ? ORDER BY first DESC LIMIT 1')
  }

  /**
   * A stage file left by an older version (a crash mid-import, then an upgrade) has records of fewer
   * values: each gets the newer fields empty, so the import finishes as it would have. The file's
   * user_version is its record width (0: the first width, 20).
   */
  private widen(): void {
    const width = (this.db.pragma('user_version', { simple: true }) as number) || 20
    if (width < STRIDE && this.records) {
      const rows = this.db.prepare('SELECT first, data FROM chunks').all() as { first: number; data: Buffer }[]
      const update = this.db.prepare('UPDATE chunks SET data = ? WHERE first = ?')
      for (const row of rows) {
        const old = deserialize(row.data) as unknown[]
        const wide: unknown[] = []
        for (let i = 0; i < old.length; i += width) {
          for (let j = 0; j < width; j++) wide.push(old[i + j])
          for (let j = width; j < STRIDE; j++) wide.push(null)
        }
        update.run(serialize(wide), row.first)
      }
    }
    this.db.pragma(`user_version = ${STRIDE}`)
  }

  /** Appends a chunk of records; returns how many. */
  append(chunk: unknown[]): number {
    const n = chunk.length / STRIDE
    if (!n) return 0
    this.insert.run(this.records, n, serialize(chunk))
    this.records += n
    return n
  }

  count(): number {
    return this.records
  }

  /** Everything written is on the disk: a crash after this point finds every row again. */
  sync(): void {
    const fd = openSync(this.file, 'r+')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }

  /**
   * Up to `limit` records from record number `from` (0-based), laid flat as they were appended,
   * and the number of the record after the last one returned.
   */
  read(from: number, limit: number): { records: unknown[]; next: number } {
    const out: unknown[] = []
    let at = from
    while (at < this.records && out.length < limit * STRIDE) {
      if (!this.cached || at < this.cached.first || at >= this.cached.first + this.cached.values.length / STRIDE) {
        const row = this.chunkAt.get(at) as { first: number; data: Buffer }
        this.cached = { first: row.first, values: deserialize(row.data) as unknown[] }
      }
      const { first, values } = this.cached
      const take = Math.min(limit - out.length / STRIDE, first + values.length / STRIDE - at)
      for (let i = (at - first) * STRIDE, end = i + take * STRIDE; i < end; i++) out.push(values[i])
      at += take
    }
    return { records: out, next: at }
  }

  close(): void {
    if (this.db.open) this.db.close()
  }

  /** Closes and deletes the file. */
  discard(): void {
    this.close()
    rmSync(this.file, { force: true })
    rmSync(`${this.file}-journal`, { force: true })
  }
}
