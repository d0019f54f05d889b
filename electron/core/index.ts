import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { systemClock, type Clock } from './clock'
import type { CoreDeps, HandlerMap } from './context'
import { openDatabase } from './db/open'
import { migrate } from './db/migrate'
import { acquireDataDirLock } from './db/lock'
import { backupDatabase, type BackupResult } from './db/backup'
import { BackupService } from './backup/service'
import type { FullBackupResult } from './backup/full'
import { EventBus } from './events'
import { AuditRepo } from './audit/repo'
import { createAuditHandlers } from './audit/handlers'
import { AuthService } from './auth/service'
import { SessionsRepo } from './auth/sessions-repo'
import { UsersRepo } from './users/repo'
import { createUsersHandlers } from './users/handlers'
import { SettingsStore, createSettingsHandlers } from './settings/service'
import { DistrictsRepo, createDistrictsHandlers } from './districts/repo'
import { createSystemHandlers } from './system/handlers'
import { seedDemo, seedDemoLeads, seedDistricts } from './demo/seed'
import { DownloadStore } from './downloads'
import { LeadsService } from './leads/service'
import { ImportJobs } from './leads/jobs'
import { createLeadsHandlers } from './leads/handlers'
import { UploadStore } from './uploads'
import { indexPending } from './leads/fts'
import { PoolService } from './pool/service'
import { RecordingsService } from './recordings/service'
import { RecordingFiles } from './recordings/store'
import { MediaGrants } from './recordings/media'
import { createSipHandlers } from './sip/handlers'
import { KeyFileSecretBox, type SecretBox } from './secrets'
import { createPoolHandlers } from './pool/handlers'
import { CampaignsService } from './campaigns/service'
import { DeskService } from './desk/service'
import { createDeskHandlers } from './desk/handlers'
import { QaService } from './qa/service'
import { FolderGrants } from './folders'
import { DispatchService } from './dispatch/service'
import { createDispatchHandlers } from './dispatch/handlers'
import { SmtpStore } from './dispatch/package'
import { ReportsService } from './reports/service'
import { createReportsHandlers } from './reports/handlers'
import { createQaHandlers } from './qa/handlers'
import { createDispatcher, type CoreConnection, type Logger } from './invoke'
import type { Locale, Settings } from '../../shared/contract'

export const DB_FILE_NAME = 'leadline.db'

/** The calls that change what the wallboard shows. */
const BOARD_METHODS = [
  'desk.setState',
  'desk.dial',
  'desk.outcome',
  'calls.start',
  'calls.end',
  'dispatch.assign',
  'dispatch.report',
  'followUps.complete'
] as const

export interface CoreOptions {
  dataDir: string
  clock?: Clock
  /** Where core runs, shown on the about page. */
  host?: 'desktop' | 'hub'
  appVersion?: string
  /** Seed the demo team on an empty installation (default true). False: ask for the first admin. */
  demo?: boolean
  /**
   * Demo accounts (their password still the demo one) may log in and are listed on the login page
   * (default true). A hub shared on the LAN passes false unless started with --demo.
   */
  demoLogins?: boolean
  /** With the demo team, demo leads in the pool and the operators' batches (default: as demo). */
  demoLeads?: boolean
  /** better_sqlite3.node built for the running runtime, when it is not the one in node_modules. */
  nativeBinding?: string
  logger?: Logger
  /** The built import worker (out/main/import-worker.js); found beside the bundle when absent. */
  importWorkerFile?: string | null
  /** The built parse worker (out/main/parse-worker.js); found beside the bundle when absent. */
  parseWorkerFile?: string | null
  /** A recording with no chunk for this long lost its renderer and is closed as interrupted (default 30 s). */
  recordingStaleMs?: number
  /** How often overdue private-pool leads are recalled (default hourly; null: never by itself). */
  recallEveryMs?: number | null
  /** Seals secrets at rest (SIP passwords): the desktop passes one backed by Electron's safeStorage. */
  secretBox?: SecretBox
  /** The passphrase the nightly backup encrypts the sealing key with (the hub's LEADLINE_BACKUP_PASSPHRASE). */
  backupPassphrase?: string | null
  /** Claim the data directory for this process (the hub, a desktop seat), so no restore runs under it. */
  exclusive?: boolean
}

export interface Core {
  readonly dataDir: string
  readonly dbFile: string
  readonly db: Database.Database
  readonly clock: Clock
  readonly events: EventBus
  readonly handlers: HandlerMap
  readonly downloads: DownloadStore
  readonly leads: LeadsService
  readonly desk: DeskService
  readonly campaigns: CampaignsService
  readonly qa: QaService
  readonly dispatch: DispatchService
  readonly reports: ReportsService
  /** The full backups: by hand and nightly into the set folder. */
  readonly backups: BackupService
  /** Folders picked in the desktop's folder dialog, offered to the export by token. */
  readonly folders: FolderGrants
  /** Grants to stream recordings (hub HTTP and the desktop protocol serve through them). */
  readonly media: MediaGrants
  /** Migration applied at open: from which schema version to which. */
  readonly migrated: { from: number; to: number }
  connect(init: { source: string; locale?: Locale; token?: string | null }): CoreConnection
  /** In-process administration (the CLI): no login, acts as the system; never reachable from a transport. */
  connectSystem(source: string, locale?: Locale): CoreConnection
  settings(): Settings
  /** Online backup to a file, checked, and written to the audit log. */
  backup(file: string, source: string): Promise<BackupResult>
  /** Everything into a backup folder: the database, the sealing key under a passphrase, new recordings. */
  backupAll(dest: string, passphrase: string | null, source: string, keepDays?: number): Promise<FullBackupResult>
  close(): void
}

export const stderrLogger: Logger = {
  info: (m) => process.stderr.write(`[leadline] ${m}\n`),
  warn: (m, e) => process.stderr.write(`[leadline] warning: ${m}${e ? ' ' + String(e) : ''}\n`),
  error: (m, e) => process.stderr.write(`[leadline] error: ${m} ${e instanceof Error ? e.stack : JSON.stringify(e)}\n`)
}

/**
 * Customers' personal data is for the hub's user alone: the data folder is 0700 and the database
 * with its WAL 0600 (SQLite gives the WAL and journal the database file's mode). An older
 * installation's 0755/0644 are tightened on start. The hub and the desktop also set the process
 * umask (077), so whatever else they write there is private too.
 */
function privateDataFolder(dataDir: string, dbFile: string): void {
  chmodSync(dataDir, 0o700)
  if (!existsSync(dbFile)) closeSync(openSync(dbFile, 'a', 0o600))
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) if (existsSync(f)) chmodSync(f, 0o600)
}

/** In the build the workers sit beside the entry bundles (out/main/), whichever chunk asks. */
function findWorker(name: string): string | null {
  for (const f of [join(__dirname, name), join(__dirname, '..', name)]) if (existsSync(f)) return f
  return null
}

/** Builds the application on a data directory: opens and migrates the database, wires the services. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? stderrLogger
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 })
  const releaseLock = opts.exclusive ? acquireDataDirLock(opts.dataDir) : () => {}
  const dbFile = join(opts.dataDir, DB_FILE_NAME)
  privateDataFolder(opts.dataDir, dbFile)
  let db: Database.Database
  let migrated: { from: number; to: number }
  try {
    db = openDatabase(dbFile, { nativeBinding: opts.nativeBinding })
  } catch (err) {
    releaseLock()
    throw err
  }
  try {
    migrated = migrate(db)
  } catch (err) {
    db.close()
    releaseLock()
    throw err
  }

  const events = new EventBus()
  const audit = new AuditRepo(db, clock)
  const deps: CoreDeps = { db, clock, events, audit, dataDir: opts.dataDir }
  const users = new UsersRepo(db)
  const sessions = new SessionsRepo(db)
  const settings = new SettingsStore(db)
  const districts = new DistrictsRepo(db)
  const auth = new AuthService(deps, users, sessions, settings, opts.demoLogins ?? true)
  const parseWorkerFile = opts.parseWorkerFile === undefined ? findWorker('parse-worker.js') : opts.parseWorkerFile
  const leads = new LeadsService(deps, () => settings.get().areaCode, parseWorkerFile)
  const downloads = new DownloadStore(clock)
  const pool = new PoolService(deps)
  const media = new MediaGrants(clock, (sessionId) => sessions.alive(sessionId, clock.now().toISOString()))
  const campaigns = new CampaignsService(deps)
  const desk = new DeskService(deps, campaigns, () => settings.get())
  const recordingFiles = new RecordingFiles(opts.dataDir)
  const folders = new FolderGrants(clock)
  const recordings = new RecordingsService(deps, recordingFiles, media, campaigns, desk)
  const qa = new QaService(deps, campaigns, () => settings.get())
  recordings.onClosed = (id) => qa.recordingClosed(id)
  recordings.metricsOf = (id) => qa.metrics(id)
  const secretBox = opts.secretBox ?? new KeyFileSecretBox(opts.dataDir)
  const smtp = new SmtpStore(deps, secretBox)
  const dispatch = new DispatchService(deps, () => settings.get(), desk, smtp, recordingFiles)
  // A success goes to dispatch at once, or when its call passes QA where the campaign has the gate.
  desk.onOutcome = (o) => {
    qa.outcomeSaved(o.callId, o.leadId, o.success, o.campaignId)
    if (o.success) dispatch.release(o.leadId)
  }
  qa.onGatePassed = (leadId) => dispatch.release(leadId)
  const reports = new ReportsService(deps, desk, campaigns, () => settings.get(), dispatch)
  const backups = new BackupService(deps, () => settings.get(), opts.backupPassphrase ?? null, opts.nativeBinding)
  dispatch.dailyReport = (day, locale) => reports.daily(day, locale)
  recordings.agentMayListen = (userId, callId) => dispatch.agentMayListen(userId, callId)
  // Recordings a crash left open are closed as interrupted, with what reached the disk.
  await recordings.recoverInterrupted()
  const uploads = new UploadStore(opts.dataDir)
  const jobs = new ImportJobs(
    deps,
    leads,
    dbFile,
    opts.importWorkerFile === undefined ? findWorker('import-worker.js') : opts.importWorkerFile,
    parseWorkerFile,
    opts.nativeBinding,
    () => settings.get().areaCode
  )

  if (migrated.from === 0) {
    seedDistricts(districts)
    if (opts.demo ?? true) {
      await seedDemo(deps, users, settings)
      if (opts.demoLeads ?? true) seedDemoLeads(deps, desk.todayBounds().day)
    }
  }

  // TypeScript checks that every method of the contract has exactly one handler here.
  const handlers: HandlerMap = {
    ...auth.handlers(),
    ...createUsersHandlers(deps, users, sessions, districts),
    ...createSettingsHandlers(deps, settings),
    ...createSystemHandlers(
      deps,
      {
        appVersion: opts.appVersion ?? '0.0.0-dev',
        host: opts.host ?? 'desktop',
        dbFile,
        demoLogins: opts.demoLogins ?? true
      },
      users,
      sessions,
      settings
    ),
    ...createAuditHandlers(deps),
    ...createDistrictsHandlers(deps, districts),
    ...createLeadsHandlers(deps, leads, jobs, uploads, downloads, () => settings.get()),
    ...createPoolHandlers(deps, pool),
    ...recordings.handlers(),
    ...createSipHandlers(deps, secretBox, () => settings.get().areaCode, uploads),
    ...campaigns.handlers(),
    ...createDeskHandlers(deps, desk, campaigns, () => settings.get()),
    ...createQaHandlers(deps, qa, recordings, recordingFiles, downloads, folders),
    ...createDispatchHandlers(deps, dispatch, smtp, recordingFiles, downloads),
    ...createReportsHandlers(deps, reports, downloads)
  }
  // The wallboard is told when what it shows changes (coalesced to once a second), instead of polling.
  let boardPending: ReturnType<typeof setTimeout> | null = null
  const boardChanged = (reason: string) => {
    boardPending ??= setTimeout(() => {
      boardPending = null
      events.emit('board.changed', { reason })
    }, 1000)
    boardPending.unref?.()
  }
  for (const m of BOARD_METHODS) {
    const inner = handlers[m] as (input: unknown, ctx: unknown) => unknown
    ;(handlers as Record<string, unknown>)[m] = async (input: unknown, ctx: unknown) => {
      const out = await inner(input, ctx)
      boardChanged(m)
      return out
    }
  }
  const dispatcher = createDispatcher({ handlers, auth, events, audit, logger })
  // 公海 recall runs by itself; tests drive it through pool.recallNow with their own clock.
  const recallTimer =
    opts.recallEveryMs === null
      ? null
      : setInterval(() => {
          try {
            pool.recall()
          } catch (err) {
            logger.error('recall failed', err)
          }
        }, opts.recallEveryMs ?? 3_600_000)
  recallTimer?.unref()
  // Leases of desks that went silent end by themselves (each claim sweeps too).
  const leaseTimer = setInterval(() => {
    try {
      desk.sweepLeases()
    } catch (err) {
      logger.error('lease sweep failed', err)
    }
  }, 30_000)
  leaseTimer.unref()
  const staleMs = opts.recordingStaleMs ?? 30_000
  const staleTimer = setInterval(
    () => {
      recordings.recoverInterrupted(staleMs).catch((err: unknown) => logger.error('closing stale recordings', err))
    },
    Math.max(1000, Math.min(10_000, staleMs / 3))
  )
  staleTimer.unref()
  // The day's success package goes by e-mail at the receive time (when the organisation asked for it).
  // The daily report at its time (19:30), then the day's success package with it at the package time (20:00).
  const packageTimer =
    opts.recallEveryMs === null
      ? null
      : setInterval(() => {
          reports
            .tick()
            .catch((err: unknown) => logger.error('daily report', err))
            .then(() => dispatch.tick())
            .catch((err: unknown) => logger.error('success package', err))
            .then(() => backups.tick())
            .catch((err: unknown) => logger.error('nightly backup', err))
        }, 60_000)
  packageTimer?.unref()
  // A search index left behind (the app stopped while indexing an import) catches up in the background.
  let closed = false
  const catchUp = () => {
    if (closed) return
    try {
      if (indexPending(db, 20_000) > 0) setImmediate(catchUp)
    } catch (err) {
      logger.warn('search index catch-up', err)
    }
  }
  setImmediate(catchUp)

  return {
    dataDir: opts.dataDir,
    dbFile,
    db,
    clock,
    events,
    handlers,
    downloads,
    leads,
    desk,
    campaigns,
    qa,
    dispatch,
    reports,
    backups,
    folders,
    media,
    migrated,
    connect: dispatcher.connect,
    connectSystem: dispatcher.connectSystem,
    settings: () => settings.get(),
    backup: async (file, source) => {
      const r = await backupDatabase(db, file, opts.nativeBinding)
      audit.write({
        userId: null,
        username: null,
        action: 'system.backup',
        entity: 'database',
        details: { file, bytes: r.bytes },
        source
      })
      return r
    },
    backupAll: (dest, passphrase, source, keepDays) => backups.run(dest, passphrase, source, keepDays),
    close: () => {
      closed = true
      if (recallTimer) clearInterval(recallTimer)
      clearInterval(staleTimer)
      clearInterval(leaseTimer)
      if (packageTimer) clearInterval(packageTimer)
      if (db.open) db.close()
      releaseLock()
    }
  }
}

export type { CoreConnection, Logger } from './invoke'
export { AppError } from './errors'
export { ManualClock, ShiftedClock, systemClock, type Clock } from './clock'
