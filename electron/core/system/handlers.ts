import { statSync } from 'node:fs'
import { requireUser, type CoreDeps, type DomainHandlers } from '../context'
import type { FullBackupResult } from '../backup/full'
import { SystemRepo } from './repo'
import type { SessionsRepo } from '../auth/sessions-repo'
import { SCHEMA_VERSION } from '../db/migrate'
import type { SettingsStore } from '../settings/service'
import type { UsersRepo } from '../users/repo'
import { addDays, localTime } from '../../../shared/domain/calling-time'
import { STATUTORY_CALENDAR } from '../calendar/statutory'

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
  backupNow: (source: string) => Promise<FullBackupResult>
): DomainHandlers<'system'> {
  const { db, clock, audit } = deps
  const sqliteVersion = new SystemRepo(db).sqliteVersion()
  return {
    'system.calendar': (_input, ctx) => {
      const cal = STATUTORY_CALENDAR
      const today = localTime(clock.now(), settings.get().timeZone).day
      const upcoming: { day: string; name: string }[] = []
      // the first day of each holiday in the next year, as the calendar knows them
      for (let d = today, i = 0; i < 366 && upcoming.length < 6; i++, d = addDays(d, 1)) {
        const name = cal.holiday(d, ctx.conn.locale)
        if (name && cal.holiday(addDays(d, -1), ctx.conn.locale) !== name) upcoming.push({ day: d, name })
      }
      const year = Number(today.slice(0, 4))
      return { firstYear: cal.firstYear, lastYear: cal.lastYear, covered: year <= cal.lastYear, upcoming }
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
