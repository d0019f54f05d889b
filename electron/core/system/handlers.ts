import { statSync } from 'node:fs'
import { requireUser, type CoreDeps, type DomainHandlers } from '../context'
import type { FullBackupResult } from '../backup/full'
import { parseHolidayNotice } from '../calendar/notice'
import { SystemRepo } from './repo'
import type { ReplicationStatus } from './replication'
import type { ClusterInfo } from '../index'
import { AppError } from '../errors'
import type { SessionsRepo } from '../auth/sessions-repo'
import { SCHEMA_VERSION } from '../db/migrate'
import type { SettingsStore } from '../settings/service'
import type { UsersRepo } from '../users/repo'
import { addDays, localTime } from '../../../shared/domain/calling-time'

export interface HostInfo {
  appVersion: string
  host: 'desktop' | 'hub'
  dbFile: string
  /** Demo accounts may log in (false on a hub shared on the LAN unless asked for). */
  demoLogins: boolean
  /** The first administrator needs the hub's one-time setup code. */
  setupCodeRequired: boolean
}

export function createSystemHandlers(
  deps: CoreDeps,
  host: HostInfo,
  users: UsersRepo,
  sessions: SessionsRepo,
  settings: SettingsStore,
  backupNow: (source: string) => Promise<FullBackupResult>,
  replication: () => ReplicationStatus | null,
  cluster: () => ClusterInfo,
  handover: () => (() => Promise<void>) | null
): DomainHandlers<'system'> {
  const { db, clock, audit } = deps
  const sqliteVersion = new SystemRepo(db).sqliteVersion()
  return {
    'system.hubs': () => {
      const c = cluster()
      return {
        // configured, not only running now: a seat keeps what it sent until it hears it is in the replica
        replicating: replication()?.configured ?? false,
        epoch: c.epoch,
        self: c.self,
        hubs: [...new Set([...(c.self ? [c.self] : []), ...c.peers])]
      }
    },
    'system.replication': () => {
      const c = cluster()
      return {
        ...(replication() ?? {
          configured: false,
          replicating: false,
          target: null,
          pid: null,
          startedAt: null,
          restarts: 0,
          lastError: null,
          lagBytes: null,
          replicatedAt: null
        }),
        epoch: c.epoch,
        self: c.self,
        standbys: c.peers,
        takeoverAt: c.takeoverAt,
        recordingsMissing: c.recordingsMissing ?? null
      }
    },
    'system.handover': (_input, ctx) => {
      const { user } = requireUser(ctx)
      const go = handover()
      if (!go || !cluster().peers.length) throw new AppError('CONFLICT', 'errors.noStandby')
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'system.handover',
        entity: 'hub',
        details: { standbys: cluster().peers },
        source: ctx.conn.source
      })
      // after this answer has gone out
      setTimeout(() => void go(), 200)
      return { ok: true as const }
    },
    'system.calendar': (_input, ctx) => {
      const cal = deps.calendar
      const today = localTime(clock.now(), settings.get().timeZone).day
      const upcoming: { day: string; name: string }[] = []
      // the first day of each holiday in the next year, as the calendar knows them
      for (let d = today, i = 0; i < 366 && upcoming.length < 6; i++, d = addDays(d, 1)) {
        const name = cal.holiday(d, ctx.conn.locale)
        if (name && cal.holiday(addDays(d, -1), ctx.conn.locale) !== name) upcoming.push({ day: d, name })
      }
      const year = Number(today.slice(0, 4))
      return {
        firstYear: cal.firstYear,
        lastYear: cal.lastYear,
        covered: year <= cal.lastYear,
        endsSoon: year === cal.lastYear && today >= `${year}-12-01`,
        bundledLastYear: cal.bundledLastYear,
        loaded: cal.years(),
        upcoming
      }
    },
    'system.loadHolidays': (input, ctx) => {
      const { user } = requireUser(ctx)
      if (input.year <= deps.calendar.bundledLastYear)
        throw new AppError('INVALID_INPUT', 'errors.calendarYearBundled', {
          year: input.year,
          last: deps.calendar.bundledLastYear
        })
      const r = parseHolidayNotice(input.text, input.year)
      if (!r.ok)
        throw new AppError('INVALID_INPUT', `errors.notice.${r.problem}`, {
          line: r.line,
          text: r.text,
          year: input.year
        })
      const holidays: { name: string; from: string; to: string; days: number }[] = []
      for (const d of r.days) {
        if (d.kind !== 'holiday') continue
        const last = holidays[holidays.length - 1]
        if (last && last.name === d.name && addDays(last.to, 1) === d.day) {
          last.to = d.day
          last.days++
        } else holidays.push({ name: d.name, from: d.day, to: d.day, days: 1 })
      }
      const workdays = r.days.filter((d) => d.kind === 'workday').map((d) => ({ day: d.day, name: d.name }))
      if (!input.dryRun) {
        deps.calendar.load(input.year, input.text, r.days, user.id, clock.now().toISOString())
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'system.loadHolidays',
          entity: 'calendar',
          entityId: input.year,
          source: ctx.conn.source,
          details: { holidays: holidays.length, days: r.days.length - workdays.length, workdays: workdays.length }
        })
      }
      return { year: input.year, holidays, workdays, saved: !input.dryRun }
    },
    'system.info': (_input, ctx) => {
      const demoMode = settings.get().demoMode
      return {
        appName: 'LeadLine',
        ...(ctx.user
          ? {
              appVersion: host.appVersion,
              schemaVersion: SCHEMA_VERSION,
              sqliteVersion,
              nodeVersion: process.versions.node,
              host: host.host
            }
          : {}),
        demoMode,
        needsFirstAdmin: users.count() === 0,
        setupCodeRequired: host.setupCodeRequired && users.count() === 0,
        demoAccounts:
          demoMode && host.demoLogins
            ? users.demoAccounts().map((u) => ({
                username: u.username,
                displayName: u.display_name,
                role: u.role,
                password: u.demo_password!
              }))
            : [],
        serverTime: clock.now().toISOString()
      }
    },
    'system.now': () => {
      const now = clock.now()
      const { timeZone } = settings.get()
      return { now: now.toISOString(), timeZone, today: localTime(now, timeZone).day }
    },
    'system.backupNow': async (_input, ctx) => {
      requireUser(ctx)
      const r = await backupNow(ctx.conn.source)
      return {
        set: r.set,
        seconds: r.seconds,
        databaseBytes: r.database.bytes,
        recordings: r.recordings.files
      }
    },
    'system.stats': () => {
      const size = (f: string) => {
        try {
          return statSync(f).size
        } catch {
          return 0
        }
      }
      return {
        dataDir: deps.dataDir,
        dbBytes: size(host.dbFile) + size(host.dbFile + '-wal'),
        users: users.count(),
        activeSessions: sessions.activeCount(clock.now().toISOString()),
        auditEntries: audit.total()
      }
    }
  }
}
