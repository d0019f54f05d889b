import Database from 'better-sqlite3'
import { localTime } from '../../../shared/domain/calling-time'

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for the running runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
  readonly?: boolean
  /** Called with each statement's SQL as it runs (tests count a request's statements with it). */
  trace?: (sql: string) => void
}

export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  const db = new Database(file, {
    nativeBinding: opts.nativeBinding,
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
    ...(opts.trace ? { verbose: (sql?: unknown) => opts.trace!(String(sql)) } : {})
  })
  if (!opts.readonly) db.pragma('journal_mode = WAL')
  // what a change or a deletion frees is zeroed, not left in the file: an erased customer leaves no
  // trace there (个人信息保护法), and neither do the old versions of rows that were updated
  if (!opts.readonly) db.pragma('secure_delete = ON')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = NORMAL')
  // 64 MB of page cache: a pool of a million leads has indexes far larger than the 2 MB default,
  // and imports insert into them in random (phone) order.
  db.pragma('cache_size = -65536')
  db.pragma('temp_store = MEMORY')
  registerFunctions(db)
  return db
}

/**
 * SQL functions the schema's triggers use. local_day(iso, tz) is the centre's calendar day of an
 * instant (tz: the time-zone setting as stored, JSON, or NULL for the default) — the reports'
 * daily figures are kept per local day. Memoised by the UTC hour: every zone in use has whole or
 * half-hour offsets, so the day changes only on the hour or half hour.
 */
export function registerFunctions(db: Database.Database): void {
  const memo = new Map<string, string>()
  db.function('local_day', { deterministic: true }, (iso: unknown, tzJson: unknown) => {
    if (typeof iso !== 'string') return null
    const tz = typeof tzJson === 'string' ? (JSON.parse(tzJson) as string) : 'Asia/Shanghai'
    const key = `${tz}|${iso.slice(0, 13)}|${iso.slice(14, 16) < '30' ? 0 : 1}`
    let day = memo.get(key)
    if (day === undefined) {
      day = localTime(new Date(iso), tz).day
      if (memo.size > 100_000) memo.clear()
      memo.set(key, day)
    }
    return day
  })
}

/** Runs SQLite's own consistency check; returns the problems it lists (empty when sound). */
export function integrityProblems(db: Database.Database): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[]
  const msgs = rows.map((r) => r.integrity_check)
  return msgs.length === 1 && msgs[0] === 'ok' ? [] : msgs
}
