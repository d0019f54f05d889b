import type Database from 'better-sqlite3'
import type { Settings } from '../../../shared/contract'
import { localTime, hhmmToMinutes } from '../../../shared/domain/calling-time'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { fullBackup, type FullBackupResult } from './full'

/** The backups table: each run, by schedule or by hand, with its figures or its error. */
class BackupsRepo {
  private startStmt: Database.Statement
  private okStmt: Database.Statement
  private failStmt: Database.Statement
  private sinceStmt: Database.Statement<[string], { n: number }>

  constructor(db: Database.Database) {
    this.startStmt = db.prepare('INSERT INTO backups (started_at, dest) VALUES (?, ?)')
    this.okStmt = db.prepare(
      'UPDATE backups SET finished_at = @at, ok = 1, set_dir = @set, detail = @detail WHERE id = @id'
    )
    this.failStmt = db.prepare('UPDATE backups SET finished_at = @at, ok = 0, detail = @detail WHERE id = @id')
    this.sinceStmt = db.prepare('SELECT count(*) AS n FROM backups WHERE started_at >= ?')
  }
  start(at: string, dest: string): number {
    return Number(this.startStmt.run(at, dest).lastInsertRowid)
  }
  ok(id: number, at: string, set: string, detail: unknown): void {
    this.okStmt.run({ id, at, set, detail: JSON.stringify(detail) })
  }
  fail(id: number, at: string, error: string, key?: string, params?: Record<string, string | number>): void {
    this.failStmt.run({ id, at, detail: JSON.stringify({ error, key, params }) })
  }
  startedSince(at: string): number {
    return this.sinceStmt.get(at)!.n
  }
}

/**
 * Backups of everything (the database, the sealing key under a passphrase, the recordings,
 * incrementally): by hand (`leadline backup DIR`) and every night at the set time into the set
 * folder, keeping N days; each run is written down for the wallboard and the audit log.
 */
export class BackupService {
  private repo: BackupsRepo
  private running: Promise<FullBackupResult> | null = null

  constructor(
    private deps: CoreDeps,
    private settings: () => Settings,
    private passphrase: string | null,
    private nativeBinding?: string
  ) {
    this.repo = new BackupsRepo(deps.db)
  }

  async run(dest: string, passphrase: string | null, source: string, keepDays?: number): Promise<FullBackupResult> {
    if (this.running) throw new AppError('CONFLICT', 'errors.backupRunning')
    const { clock, audit, events } = this.deps
    const now = clock.now()
    const id = this.repo.start(now.toISOString(), dest)
    this.running = (async () => {
      if (!passphrase) throw new AppError('INVALID_INPUT', 'errors.backupPassphraseRequired')
      return fullBackup({
        db: this.deps.db,
        dataDir: this.deps.dataDir,
        dest,
        passphrase,
        now,
        keepDays,
        nativeBinding: this.nativeBinding
      })
    })()
    try {
      const r = await this.running
      this.repo.ok(id, clock.now().toISOString(), r.set, {
        database: r.database,
        recordings: r.recordings,
        removedSets: r.removedSets
      })
      audit.write({
        userId: null,
        username: null,
        action: 'system.backup',
        entity: 'database',
        details: { dest, set: r.set, copied: r.recordings.copied, bytes: r.recordings.bytes },
        source
      })
      return r
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err)
      this.repo.fail(
        id,
        clock.now().toISOString(),
        error,
        err instanceof AppError ? err.key : undefined,
        err instanceof AppError ? err.params : undefined
      )
      audit.write({
        userId: null,
        username: null,
        action: 'system.backup.failed',
        entity: 'database',
        details: { dest, error },
        source
      })
      throw err
    } finally {
      this.running = null
      events.emit('board.changed', { reason: 'backup' })
    }
  }

  /** Once a minute: the night's backup, once a day after the set time, when a folder is set. */
  async tick(): Promise<void> {
    const { folder, at, keepDays } = this.settings().backup
    if (!folder || this.running) return
    const tz = this.settings().timeZone
    const now = this.deps.clock.now()
    const local = localTime(now, tz)
    if (local.minutes < hhmmToMinutes(at)) return
    const dayStart = new Date(now.getTime() - local.minutes * 60_000).toISOString()
    if (this.repo.startedSince(dayStart) > 0) return
    await this.run(folder, this.passphrase, 'schedule', keepDays).catch(() => {
      // written down and shown on the wallboard; tomorrow's run tries again
    })
  }
}
