import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import type Database from 'better-sqlite3'
import { systemClock, type Clock } from './clock'
import type { CoreDeps, HandlerMap } from './context'
import { openDatabase } from './db/open'
import { ClientWrites } from './db/client-writes'
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
import { CentreCalendar } from './calendar/centre'
import { lanShareRefusal } from './system/lan-share'
import type { AppError } from './errors'
import { seedDemo, seedDemoLeads, seedDistricts } from './demo/seed'
import { DownloadStore } from './downloads'
import { LeadsService, type ImportRules } from './leads/service'
import { ImportJobs } from './leads/jobs'
import { InboundRouter } from './inbound/service'
import { smsDomain } from './sms/domain'
import { apiDomain } from './api/domain'
import { ApiService } from './api/service'
import { Webhooks } from './api/webhooks'
import type { OutsideNotice } from './domain-events'
import { SmsService } from './sms/service'
import { pbxEndpoints } from './sip/pbx-endpoints'
import { createLeadsHandlers } from './leads/handlers'
import { createDncHandlers, importDncList } from './dnc/handlers'
import { DncService } from './dnc/service'
import { privacyKeyedHash } from './personal-data/keyed-hash'
import { PrivacyService } from './personal-data/service'
import { RetentionService } from './personal-data/retention'
import { ComplaintsService } from './complaints/service'
import { CallerIds } from './caller-id/service'
import { complianceDomains } from './compliance-domains'
import { UploadStore } from './uploads'
import { LeadSearch } from './leads/search-repo'
import { PoolService } from './pool/service'
import { RecordingsService } from './recordings/service'
import { recordingsDomain } from './recordings/domain'
import { RecordingFiles } from './recordings/store'
import { MediaGrants } from './recordings/media'
import { RecordingArchive } from './recordings/archive'
import { storageDomain } from './recordings/storage-domain'
import { Replicator, type ReplicaTarget } from './system/replication'
import { createSipHandlers } from './sip/handlers'
import { PbxDial, type PbxAnswer } from './sip/pbx-dial'
import { KeyFileSecretBox, type SecretBox } from './secrets'
import { createPoolHandlers } from './pool/handlers'
import { CampaignsService } from './campaigns/service'
import { DeskService } from './desk/service'
import { CustomerCards } from './desk/card'
import { deskDomain } from './desk/domain'
import { QaQueue } from './qa/queue'
import { QaReviews } from './qa/reviews'
import { QaLibrary } from './qa/library'
import { qaDomain } from './qa/domain'
import { FolderGrants } from './folders'
import { DispatchService } from './dispatch/service'
import { FollowUps } from './dispatch/follow-ups'
import { SuccessPackageMailer } from './dispatch/mailer'
import { dispatchDomain } from './dispatch/domain'
import { SmtpStore } from './dispatch/package'
import { PackageRepo } from './dispatch/package-repo'
import { ReportsService } from './reports/service'
import { reportsDomain } from './reports/domain'
import { SYSTEM_USER, createDispatcher, type CoreConnection, type Logger } from './invoke'
import { DomainEvents } from './domain-events'
import { composeDomains, defineDomain } from './domain'
import { Scheduler } from './scheduler'
import { TeamsService } from './teams/service'
import { teamsDomain } from './teams/domain'
import type { Locale, Output, ParsedInput, Settings } from '../../shared/contract'
import { MonitorService } from './monitor/service'
import { monitorDomain } from './monitor/domain'

export const DB_FILE_NAME = 'leadline.db'

/** This hub among the centre's hubs: its lease epoch and address (null: no lease), the standbys' addresses. */
export interface ClusterInfo {
  epoch: number | null
  self: string | null
  /** The standbys heard from lately. */
  peers: string[]
  /** The hub this one took over from: its pages' seats may follow the lease here (never a standby). */
  previous?: string | null
  /** When this hub took over from another (a standby that restored the replica); null otherwise. */
  takeoverAt: string | null
  /** After a takeover: recordings this hub lacks (on the old primary's disk); null until counted. */
  recordingsMissing?: number | null
}

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
  /** How often overdue private-pool leads are recalled (default hourly). */
  recallEveryMs?: number | null
  /**
   * Run the domains' timers (the daily report, the success package, the nightly backup, 公海 recall,
   * stale leases and recordings). Default true; tests drive the jobs themselves with their own clock.
   * Without it, `recallEveryMs: null` alone keeps the old meaning of "no timers" for tests.
   */
  timers?: boolean
  /** Seals secrets at rest (SIP passwords): the desktop passes one backed by Electron's safeStorage. */
  secretBox?: SecretBox
  /** The passphrase the nightly backup encrypts the sealing key with (the hub's LEADLINE_BACKUP_PASSPHRASE). */
  backupPassphrase?: string | null
  /** Claim the data directory for this process (the hub, a desktop seat), so no restore runs under it. */
  exclusive?: boolean
  /**
   * Finish the imports a crash stopped while they wrote into the pool (default: when `exclusive`,
   * the process that owns the data folder; never two processes at once).
   */
  resumeImports?: boolean
  /**
   * On an empty installation reachable from the LAN, the first administrator is created only with
   * this one-time code (the hub prints it on its console): whoever reaches the page first must not
   * get the centre. Null or absent: none needed (the desktop, a hub on loopback).
   */
  setupCode?: string | null
  /** Called with the SQL of each statement the hub's connection runs (tests count the work of a request). */
  sqlTrace?: (sql: string) => void
}

export interface Core {
  readonly dataDir: string
  readonly dbFile: string
  readonly db: Database.Database
  /** A seat's `'resend'` writes, applied once by their client ids. */
  readonly clientWrites: ClientWrites
  readonly clock: Clock
  readonly events: EventBus
  readonly handlers: HandlerMap
  readonly downloads: DownloadStore
  readonly leads: LeadsService
  readonly desk: DeskService
  readonly cards: CustomerCards
  readonly campaigns: CampaignsService
  readonly qa: { queue: QaQueue; reviews: QaReviews; library: QaLibrary }
  readonly recordings: RecordingsService
  readonly dispatch: DispatchService
  readonly followUps: FollowUps
  readonly complaints: ComplaintsService
  readonly callerIds: CallerIds
  /** 回拨路由: customers' return calls, routed to their operator. */
  readonly inbound: InboundRouter
  /** 短信: the customer's messages, their gateway's reports and replies. */
  readonly sms: SmsService
  /** The integration API (/api/v1): its keys and resources. */
  readonly api: ApiService
  readonly webhooks: Webhooks
  /** The customer's rights over their data: export, erase, correct, withdraw consent. */
  readonly privacy: PrivacyService
  /** 保留期限: what is past its time goes (daily, or on demand with a dry run). */
  readonly retention: RetentionService
  readonly packageMailer: SuccessPackageMailer
  readonly reports: ReportsService
  /** The domain events inside core (the business chain); see domain-events.ts. */
  readonly bus: DomainEvents
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
  /** Why this seat may not share its data on the LAN now (demo mode, accounts on the demo password); null: it may. */
  lanShareRefusal(): Promise<AppError | null>
  /** Starts replicating the database with Litestream (the hub's --replicate); its status after. */
  replicate(target: ReplicaTarget): Promise<Replicator>
  replication(): Replicator | null
  cluster(): ClusterInfo
  /** Where this hub stands (the serve command: the lease's epoch, its own address, its standbys'). */
  setCluster(c: ClusterInfo): void
  /** What a planned handover does (the serve command: last write replicated, lease released, stop). */
  setHandover(fn: (() => Promise<void>) | null): void
  /** The PBX asks for the number behind a desk's dial token (the hub's PBX_DIAL_PATH); a refusal is audited. */
  pbxResolve(authorization: string | undefined, token: string, from: string, source: string): PbxAnswer
  /** The PBX asks whom a customer's call to one of the centre's numbers rings (the hub's PBX_INBOUND_PATH). */
  pbxInbound(authorization: string | undefined, from: string, to: string): PbxAnswer
  /** A do-not-call list from a file on this machine (the command line), audited as the system. */
  dncImport(
    file: string,
    input: Omit<ParsedInput<'dnc.import'>, 'uploadId'>,
    source: string
  ): Promise<Output<'dnc.import'>>
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
    db = openDatabase(dbFile, { nativeBinding: opts.nativeBinding, trace: opts.sqlTrace })
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

  // before any repository: every transaction can carry a seat's write id
  const clientWrites = new ClientWrites(db)
  const events = new EventBus()
  const bus = new DomainEvents()
  const audit = new AuditRepo(db, clock)
  const secretBox = opts.secretBox ?? new KeyFileSecretBox(opts.dataDir)
  const deps: CoreDeps = {
    db,
    clock,
    events,
    audit,
    dataDir: opts.dataDir,
    calendar: new CentreCalendar(db),
    keyedHash: privacyKeyedHash(db, secretBox, clock.now().toISOString())
  }
  const settingsStore = new SettingsStore(db)
  const settings = () => settingsStore.get()

  // ——— the services, each given what it needs (no callback is assigned after construction) ———
  const users = new UsersRepo(db)
  const sessions = new SessionsRepo(db)
  const districts = new DistrictsRepo(db)
  // every district of China, from the bundled dataset (a no-op once the table has them)
  districts.syncChina()
  const teams = new TeamsService(deps, settings)
  const auth = new AuthService(deps, users, sessions, settingsStore, opts.demoLogins ?? true, opts.setupCode ?? null)
  const parseWorkerFile = opts.parseWorkerFile === undefined ? findWorker('parse-worker.js') : opts.parseWorkerFile
  const campaigns = new CampaignsService(deps)
  /** What an import of a campaign's list does with numbers: the default area code, the centre's area and the campaign's rule. */
  const importRules = (campaignId: number): ImportRules => {
    const s = settings()
    const c = campaigns.get(campaignId).settings
    return {
      defaultAreaCode: s.areaCode,
      area: { province: s.area.province, city: s.area.city, scope: c.outsideScope, outside: c.outsideArea }
    }
  }
  const leads = new LeadsService(deps, importRules, parseWorkerFile, opts.nativeBinding)
  const downloads = new DownloadStore(clock, (sessionId) => sessions.alive(sessionId, clock.now().toISOString()))
  const uploads = new UploadStore(opts.dataDir)
  const pool = new PoolService(deps)
  const media = new MediaGrants(clock, (sessionId) => sessions.alive(sessionId, clock.now().toISOString()))
  const callerIds = new CallerIds(deps, settings)
  const desk = new DeskService(deps, bus, campaigns, settings, callerIds)
  const pbxDial = new PbxDial(db, secretBox, settings, clock)
  const cards = new CustomerCards(deps, desk, campaigns, settings)
  const inbound = new InboundRouter(deps, bus, desk, campaigns, callerIds, pbxDial, settings)
  const sms = new SmsService(deps, secretBox, settings)
  const recordingFiles = new RecordingFiles(opts.dataDir)
  // the database replicated by Litestream, when the hub is started with --replicate
  let replicator: Replicator | null = null
  // this hub's place among the centre's hubs (the lease's epoch, its address, its standbys)
  let cluster: ClusterInfo = { epoch: null, self: null, peers: [], takeoverAt: null }
  // a planned handover to the standby (set by the serve command when it holds a lease)
  let handover: (() => Promise<void>) | null = null
  // seats' outcomes sent again after a takeover are taken for 10 minutes (their calls may be lost)
  desk.takeoverWindow = () => !!cluster.takeoverAt && Date.now() - new Date(cluster.takeoverAt).getTime() < 10 * 60_000
  const folders = new FolderGrants(clock)
  const dispatch = new DispatchService(deps, bus, settings)
  // a field agent listens to the calls of the visits assigned to them: dispatch knows which
  const recordings = new RecordingsService(
    deps,
    bus,
    recordingFiles,
    media,
    dispatch,
    new RecordingArchive(deps, secretBox, recordingFiles)
  )
  const qa = {
    queue: new QaQueue(deps, bus, campaigns, recordings, settings),
    reviews: new QaReviews(deps, bus, campaigns),
    library: new QaLibrary(deps, settings)
  }
  const dnc = new DncService(deps, settings)
  const webhooks = new Webhooks(deps, secretBox)
  const api = new ApiService(deps, leads, dnc, settings, webhooks)
  const notice: OutsideNotice = (type, leadId, data) => webhooks.record(type, leadId, null, data)
  const complaints = new ComplaintsService(deps, dnc, settings, notice)
  const privacy = new PrivacyService(deps, dnc.list, recordingFiles)
  const retention = new RetentionService(deps, privacy, dnc.list, settings)
  const followUps = new FollowUps(deps, dispatch.repo, desk.rules, settings, complaints, callerIds, notice)
  const packages = new PackageRepo(db)
  const smtp = new SmtpStore(packages, secretBox)
  const backups = new BackupService(deps, bus, settings, opts.backupPassphrase ?? null, opts.nativeBinding)
  const monitor = new MonitorService(deps, teams, settings)
  const reports = new ReportsService(deps, desk, campaigns, settings, dispatch, backups, {
    inbound,
    callerIds,
    archive: recordings.archive
  })
  const packageMailer = new SuccessPackageMailer(deps, packages, recordingFiles, smtp, reports, settings)
  const jobsQueue = new ImportJobs(
    deps,
    leads,
    dbFile,
    opts.importWorkerFile === undefined ? findWorker('import-worker.js') : opts.importWorkerFile,
    parseWorkerFile,
    opts.nativeBinding,
    importRules,
    logger
  )

  // ——— the domains: their methods, the events they listen to, their timers ———
  const staleMs = opts.recordingStaleMs ?? 30_000
  const { handlers, jobs } = composeDomains(
    [
      defineDomain({ name: 'auth', handlers: auth.handlers() }),
      defineDomain({ name: 'users', handlers: createUsersHandlers(deps, users, sessions, districts, teams) }),
      teamsDomain(teams),
      defineDomain({
        name: 'settings',
        handlers: createSettingsHandlers(deps, settingsStore, async (next) => lanShareRefusal(users, next))
      }),
      defineDomain({
        name: 'system',
        handlers: createSystemHandlers(
          deps,
          {
            appVersion: opts.appVersion ?? '0.0.0-dev',
            host: opts.host ?? 'desktop',
            dbFile,
            demoLogins: opts.demoLogins ?? true,
            setupCodeRequired: !!opts.setupCode
          },
          users,
          sessions,
          settingsStore,
          (source) => backups.now(source),
          () => replicator?.status() ?? null,
          () => cluster,
          () => handover
        )
      }),
      defineDomain({ name: 'audit', handlers: createAuditHandlers(deps, settings) }),
      defineDomain({
        name: 'districts',
        handlers: createDistrictsHandlers(deps, districts, () => settings().area.city)
      }),
      defineDomain({
        name: 'leads',
        handlers: createLeadsHandlers(deps, leads, jobsQueue, uploads, downloads, settings, (id) => campaigns.open(id)),
        // 归属地 for leads imported before numbers carried it, a chunk every second until done
        jobs: [{ name: 'phone regions', everyMs: 1_000, run: () => leads.fillPhoneRegions(), always: true }]
      }),
      defineDomain({ name: 'dnc', handlers: createDncHandlers(deps, dnc, uploads, downloads, settings) }),
      ...complianceDomains(deps, { complaints, callerIds, privacy, retention, dnc, uploads, downloads, settings }),
      defineDomain({
        name: 'pool',
        handlers: createPoolHandlers(deps, pool, (id) => campaigns.open(id)),
        // 公海 recall runs by itself; tests drive it through pool.recallNow with their own clock
        jobs: [{ name: 'recall', everyMs: opts.recallEveryMs ?? 3_600_000, run: () => pool.recall() }]
      }),
      recordingsDomain(deps, recordings, campaigns, desk, pbxDial, inbound),
      defineDomain({
        name: 'sip',
        handlers: createSipHandlers(deps, secretBox, () => settings().areaCode, uploads, pbxDial)
      }),
      defineDomain({ name: 'campaigns', handlers: campaigns.handlers() }),
      deskDomain(deps, desk, cards, teams, campaigns, settings, pbxDial, inbound),
      qaDomain(deps, { ...qa, teams, recordings, downloads, folders }),
      dispatchDomain(deps, {
        dispatch,
        followUps,
        mailer: packageMailer,
        smtp,
        packages,
        files: recordingFiles,
        downloads,
        pbxDial,
        settings
      }),
      reportsDomain(deps, reports, teams, downloads),
      monitorDomain(monitor),
      smsDomain(deps, sms, settings),
      storageDomain(recordings.archive),
      apiDomain(api, webhooks, () => clock.now()),
      defineDomain({
        name: 'housekeeping',
        handlers: {},
        jobs: [
          // leases of desks that went silent end by themselves (each claim sweeps too)
          { name: 'lease sweep', everyMs: 30_000, run: () => desk.sweepLeases(), always: true },
          // a return call whose seat went away while it rang is a missed call, with its callback
          { name: 'return calls', everyMs: 30_000, run: () => inbound.sweep(), always: true },
          // a recording whose seat went silent is closed as interrupted, with what reached the disk
          {
            name: 'stale recordings',
            everyMs: Math.max(1000, Math.min(10_000, staleMs / 3)),
            run: () => recordings.recoverInterrupted(staleMs),
            always: true
          },
          { name: 'nightly backup', everyMs: 60_000, run: () => backups.tick() },
          // a seat resends within minutes of a break; its write ids are kept three days
          {
            name: 'client write ids',
            everyMs: 3_600_000,
            run: () => void clientWrites.prune(new Date(Date.now() - 3 * 86_400_000).toISOString()),
            always: true
          }
        ]
      })
    ],
    bus
  )

  // Recordings a crash left open are closed as interrupted, with what reached the disk.
  await recordings.recoverInterrupted()

  if (migrated.from === 0) {
    seedDistricts(districts)
    if (opts.demo ?? true) {
      await seedDemo(deps, users, settingsStore)
      if (opts.demoLeads ?? true) seedDemoLeads(deps, desk.todayBounds().day)
    }
  }

  const dispatcher = createDispatcher({ handlers, auth, events, audit, logger, bus, clientWrites })
  const scheduler = new Scheduler(logger)
  const schedule = opts.timers ?? opts.recallEveryMs !== null
  scheduler.start(jobs.filter((j) => schedule || j.always))
  // A search index left behind (the app stopped while indexing an import) catches up in the background,
  // in chunks of a few milliseconds so the window and the other seats never wait for it.
  let closed = false
  const searchIndex = new LeadSearch(db)
  const catchUp = () => {
    if (closed) return
    try {
      if (searchIndex.indexPending(2_000) > 0) setImmediate(catchUp)
    } catch (err) {
      logger.warn('search index catch-up', err)
    }
  }
  setImmediate(catchUp)
  if (opts.resumeImports ?? opts.exclusive ?? false) jobsQueue.resume()
  // Exports (reports, recordings, import reports) are offered for minutes and live in memory: after a
  // restart none can be fetched, so what a crash left there (personal data) goes at once.
  if (opts.exclusive) rmSync(join(opts.dataDir, 'exports'), { recursive: true, force: true })

  return {
    dataDir: opts.dataDir,
    dbFile,
    db,
    clientWrites,
    clock,
    events,
    handlers,
    downloads,
    leads,
    desk,
    cards,
    campaigns,
    qa,
    recordings,
    dispatch,
    followUps,
    complaints,
    callerIds,
    inbound,
    sms,
    api,
    webhooks,
    privacy,
    retention,
    packageMailer,
    reports,
    bus,
    backups,
    folders,
    media,
    migrated,
    connect: dispatcher.connect,
    connectSystem: dispatcher.connectSystem,
    settings,
    lanShareRefusal: () => lanShareRefusal(users, settings()),
    dncImport: (file, input, source) => importDncList(deps, dnc, file, basename(file), input, SYSTEM_USER, source),
    ...pbxEndpoints(pbxDial, inbound, audit, logger),
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
    replicate: async (target) => {
      if (replicator) throw new Error('already replicating')
      replicator = new Replicator(dbFile, opts.dataDir, target, logger)
      // the seats hear it, twice a second at most: each forgets what it kept of before that time
      let lastSent = 0
      replicator.onReplicated((upTo) => {
        if (Date.now() - lastSent < 500) return
        lastSent = Date.now()
        events.emit('replication.confirmed', { upTo })
      })
      await replicator.start()
      return replicator
    },
    replication: () => replicator,
    cluster: () => cluster,
    setCluster: (c) => {
      cluster = c
    },
    setHandover: (fn) => {
      handover = fn
    },
    close: () => {
      closed = true
      void replicator?.stop()
      scheduler.stop()
      if (db.open) db.close()
      releaseLock()
    }
  }
}

export type { CoreConnection, Logger } from './invoke'
export { AppError } from './errors'
export { ManualClock, ShiftedClock, systemClock, type Clock } from './clock'
