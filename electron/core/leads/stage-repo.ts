import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { STRIDE } from './prepare'

const COLUMNS = Array.from({ length: STRIDE }, (_, i) => `c${i}`)

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
 * An import's prepared rows, in a SQLite file of their own beside the database (the records of
 * prepare.ts, STRIDE values each, in file order). Reading a list writes here only, so it never
 * holds the pool's write lock; the pool then takes the rows a short slice at a time. Nobody else
 * opens the file, so it runs without a journal; it is synced to disk before the import commits to it.
 */
export class ImportStage {
  private db: Database.Database
  private ins: Database.Statement | null = null
  private readStmt: Database.Statement | null = null

  constructor(
    readonly file: string,
    nativeBinding?: string
  ) {
    this.db = new Database(file, { nativeBinding })
    this.db.pragma('journal_mode = OFF')
    this.db.pragma('synchronous = OFF')
    this.db.exec(`CREATE TABLE IF NOT EXISTS rows (seq INTEGER PRIMARY KEY, ${COLUMNS.join(', ')})`)
  }

  /** Appends a chunk of records; returns how many. */
  append(chunk: unknown[]): number {
    this.ins ??= this.db.prepare(
      `INSERT INTO rows (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`
    )
    const ins = this.ins
    const n = chunk.length / STRIDE
    this.db
      .transaction(() => {
        for (let i = 0; i < chunk.length; i += STRIDE) ins.run(chunk.slice(i, i + STRIDE))
      })
      .immediate()
    return n
  }

  count(): number {
    return this.db.prepare('SELECT count(*) FROM rows').pluck().get() as number
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

  /** Up to `limit` records after `afterSeq`, laid flat as they were appended, and the last one's seq. */
  read(afterSeq: number, limit: number): { records: unknown[]; last: number } {
    this.readStmt ??= this.db.prepare(`SELECT * FROM rows WHERE seq > ? ORDER BY seq LIMIT ?`).raw()
    const rows = this.readStmt.all(afterSeq, limit) as unknown[][]
    const records: unknown[] = []
    for (const r of rows) for (let i = 1; i <= STRIDE; i++) records.push(r[i])
    return { records, last: rows.length ? (rows[rows.length - 1][0] as number) : afterSeq }
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
