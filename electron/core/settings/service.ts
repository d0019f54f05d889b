import type Database from 'better-sqlite3'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppError } from '../errors'
import { settingsSchema, type Settings } from '../../../shared/contract'
import type { CoreDeps, DomainHandlers } from '../context'
import { SettingsRepo } from './repo'
import { requireUser } from '../context'

export const DEFAULT_SETTINGS: Settings = {
  orgName: '',
  defaultLocale: 'zh-CN',
  demoMode: false,
  sessionHours: 12,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  areaCode: '0771',
  area: { province: '广西', city: '南宁市' },
  dialPlan: { zeroForOutOfTownMobiles: false },
  telephony: { pbxDialsByToken: true },
  timeZone: 'Asia/Shanghai',
  capPerNumber24h: 3,
  capPerNumber5min: 1,
  leaseMinutes: 3,
  maskStyle: 'middle4',
  clearRoles: ['supervisor', 'admin'],
  unmaskRoles: ['qa'],
  skips: { perDay: 20, retryMinutes: 30 },
  // The source plans: successes with the receiver by 20:00, with an agent by 09:30 the next day.
  dispatch: {
    receiveBy: '20:00',
    assignBy: '09:30',
    assignBeforeVisitHours: 2,
    confirmHours: 24,
    workdays: [1, 2, 3, 4, 5],
    directionCities: [],
    packageEmail: false
  },
  // Every Friday 13:30–18:00, results by Saturday 18:00; cooling-off 15 days (docs/domain.md).
  reports: { dailyAt: '19:30' },
  visitHours: { start: '09:00', end: '20:00' },
  backup: { folder: '', at: '02:00', keepDays: 14 },
  teams: { supervisorsSeeAll: true },
  dnc: { refusalDays: 180 },
  complaints: { decisionDays: 15, extendedDays: 30 },
  callerId: { dailyCap: 200, minAnswerRate: 0.08, minCallsForHealth: 30 },
  inbound: { missedCallbackMinutes: 30, ringSeconds: 45 },
  retention: {
    supplierRowsDays: 90,
    unsignedDays: 365,
    signedShortYears: 5,
    signedLongYears: 10,
    exportDays: 7,
    rejectedUploadDays: 1
  },
  monitoring: { showListen: false, showWhisper: true, showBarge: true },
  followUp: {
    days: [5],
    start: '13:30',
    end: '18:00',
    dueDay: 6,
    dueTime: '18:00',
    coolingOffDays: 15,
    unreachableAttempts: 3,
    unreachableDays: 2,
    leaseMinutes: 20
  },
  lanHub: { enabled: false, host: '0.0.0.0', port: 7300 }
}

const isGroup = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Settings live as one JSON value per top-level key; missing keys take the defaults. */
export class SettingsStore {
  private repo: SettingsRepo

  constructor(db: Database.Database) {
    this.repo = new SettingsRepo(db)
  }

  /** Read on every call of the desk's hot path: kept parsed until the next change. */
  private cached: Settings | null = null

  get(): Settings {
    this.cached ??= this.read()
    return this.cached
  }

  private read(): Settings {
    const defaults = DEFAULT_SETTINGS as unknown as Record<string, unknown>
    const merged: Record<string, unknown> = { ...defaults }
    for (const { key, value } of this.repo.entries()) {
      if (!(key in defaults)) continue
      const stored = JSON.parse(value) as unknown
      const base = defaults[key]
      // a group saved by an older build lacks the fields added since: they take their defaults
      merged[key] = isGroup(base) && isGroup(stored) ? { ...base, ...stored } : stored
    }
    // A value that no longer fits (hand-edited, older build) falls back to its default, alone.
    for (let i = 0; i < 3; i++) {
      const parsed = settingsSchema.safeParse(merged)
      if (parsed.success) return parsed.data
      for (const issue of parsed.error.issues) {
        const key = issue.path[0]
        if (typeof key === 'string' && key in defaults) merged[key] = defaults[key]
      }
    }
    return DEFAULT_SETTINGS
  }

  set(patch: Partial<Settings>): void {
    this.cached = null
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) this.repo.put(key, JSON.stringify(value))
    }
  }
}

export function createSettingsHandlers(
  deps: CoreDeps,
  store: SettingsStore,
  /** Why this seat may not share its data on the LAN now (demo mode, demo passwords); nothing: it may. */
  lanShareRefusal: (next: Settings) => Promise<AppError | null>
): DomainHandlers<'settings'> {
  const { db, audit, events } = deps
  return {
    'settings.get': () => store.get(),
    'settings.update': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const current = store.get()
      const next = settingsSchema.parse({
        ...current,
        ...input,
        lanHub: { ...current.lanHub, ...input.lanHub }
      })
      const keys = (Object.keys(input) as (keyof Settings)[]).filter((k) => input[k] !== undefined)
      if (input.backup?.folder && input.backup.folder !== current.backup.folder) usableFolder(input.backup.folder)
      // sharing on the LAN, or demo mode while it shares: not with accounts anyone on the LAN can log in with
      if (next.lanHub.enabled && (input.lanHub?.enabled || input.demoMode)) {
        const refused = await lanShareRefusal(next)
        if (refused) throw refused
      }
      // (after the LAN check's await: through ctx.writing, so a seat's write id goes with it)
      const save = db.transaction(() => {
        store.set(Object.fromEntries(keys.map((k) => [k, next[k]])))
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'settings.update',
          entity: 'settings',
          details: Object.fromEntries(keys.map((k) => [k, next[k]])),
          source: ctx.conn.source
        })
      })
      if (ctx.writing) ctx.writing(() => save.immediate())
      else save.immediate()
      events.emit('settings.changed', { keys })
      return next
    }
  }
}

/**
 * A backup folder must be one the hub can write to now (made if missing): a folder that cannot exist
 * (/proc/…), a read-only mount or a NAS that is not mounted is refused with its name, not found out
 * at two in the morning.
 */
function usableFolder(folder: string): void {
  const probe = join(folder, `.leadline-probe-${process.pid}`)
  try {
    // one level at a time: Node's recursive mkdir never returns under /proc
    const missing: string[] = []
    for (let d = folder; !existsSync(d); d = dirname(d)) {
      if (dirname(d) === d) break
      missing.unshift(d)
    }
    for (const d of missing) mkdirSync(d)
    writeFileSync(probe, 'ok')
    rmSync(probe, { force: true })
  } catch {
    throw new AppError('INVALID_INPUT', 'errors.backupFolderUnusable', { folder })
  }
}
