import Database from 'better-sqlite3'

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for the running runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
  readonly?: boolean
}

export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  const db = new Database(file, {
    nativeBinding: opts.nativeBinding,
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false
  })
  if (!opts.readonly) db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = NORMAL')
  // 64 MB of page cache: a pool of a million leads has indexes far larger than the 2 MB default,
  // and imports insert into them in random (phone) order.
  db.pragma('cache_size = -65536')
  db.pragma('temp_store = MEMORY')
  return db
}

/** Runs SQLite's own consistency check; returns the problems it lists (empty when sound). */
export function integrityProblems(db: Database.Database): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[]
  const msgs = rows.map((r) => r.integrity_check)
  return msgs.length === 1 && msgs[0] === 'ok' ? [] : msgs
}
