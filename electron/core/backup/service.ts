import type { Locale, Settings } from '../../../shared/contract'
import { localTime, hhmmToMinutes } from '../../../shared/domain/calling-time'
import type { CoreDeps } from '../context'
import type { DomainEvents } from '../domain-events'
import { AppError } from '../errors'
import { fullBackup, type FullBackupResult } from './full'
import { BackupsRepo } from './repo'
import { translate } from '../../../shared/i18n'

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
    private bus: DomainEvents,
    private settings: () => Settings,
    private passphrase: string | null,
    private nativeBinding?: string
  ) {
    this.repo = new BackupsRepo(deps.db)
  }

  /** Whether the nightly backup is set up, and how the last one went (its failure in the reader's language). */
  state(locale: Locale) {
    const b = this.repo.last()
    let message: string | null = null
    if (b && b.ok !== 1) {
      const d = JSON.parse(b.detail ?? '{}') as {
        error?: string
        key?: string
        params?: Record<string, string | number>
      }
      message = d.key ? translate(locale, d.key, d.params) : (d.error ?? null)
    }
    return {
      scheduled: !!this.settings().backup.folder,
      passphrase: !!this.passphrase,
      last: b ? { at: b.started_at, ok: b.ok === 1, message } : null
    }
  }

  async run(dest: string, passphrase: string | null, source: string, keepDays?: number): Promise<FullBackupResult> {
    if (this.running) throw new AppError('CONFLICT', 'errors.backupRunning')
    const { clock, audit } = this.deps
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
      this.bus.publish('board.touched', { reason: 'backup' })
    }
  }

  /** 立即备份: the same backup as the night's, into the set folder, now. */
  async now(source: string): Promise<FullBackupResult> {
    const { folder, keepDays } = this.settings().backup
    if (!folder) throw new AppError('INVALID_INPUT', 'errors.backupFolderNotSet')
    return this.run(folder, this.passphrase, source, keepDays)
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
