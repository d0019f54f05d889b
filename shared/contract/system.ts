import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS, roleSchema } from './roles'
import { emptyInput, isoTime, okOutput } from './common'

export const systemInfoSchema = z.object({
  appName: z.string(),
  /** Versions and where core runs are for logged-in users only: before login the page needs none of it. */
  appVersion: z.string().optional(),
  schemaVersion: z.number().int().optional(),
  sqliteVersion: z.string().optional(),
  nodeVersion: z.string().optional(),
  /** Where the core runs: inside a desktop seat or as the headless hub. */
  host: z.enum(['desktop', 'hub']).optional(),
  demoMode: z.boolean(),
  /** True on an installation with no user yet: the UI asks for the first admin. */
  needsFirstAdmin: z.boolean(),
  /** The first administrator needs the one-time code the hub printed on its console (a hub on the LAN). */
  setupCodeRequired: z.boolean(),
  /** Demo accounts whose password is still the demo one (demo mode only, and never on a hub shared on the LAN unless started with --demo). */
  demoAccounts: z.array(
    z.object({ username: z.string(), displayName: z.string(), role: roleSchema, password: z.string() })
  ),
  serverTime: isoTime
})
export type SystemInfo = z.infer<typeof systemInfoSchema>

export const systemMethods = defineMethods({
  'system.info': {
    summary:
      'What the login page needs (installation state, the demo accounts in demo mode); versions too for a logged-in user (the about page).',
    input: emptyInput,
    output: systemInfoSchema,
    roles: 'public'
  },
  'system.now': {
    summary:
      'The centre’s clock: the hub’s time now, the centre’s time zone and today’s date in it. Every seat shows days and times by it, not by its own clock or zone.',
    input: emptyInput,
    output: z.object({ now: isoTime, timeZone: z.string(), today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    roles: 'public'
  },
  'system.calendar': {
    summary:
      'The statutory holiday calendar (法定节假日与调休) the calling windows and deadlines follow: the years its data covers, whether today is inside them, and the next holidays.',
    input: emptyInput,
    output: z.object({
      firstYear: z.number().int(),
      lastYear: z.number().int(),
      /** False past the data's last year: only weekends count as days off until the app is updated. */
      covered: z.boolean(),
      /** In the last month of the data's last year: time to load the next year's notice. */
      endsSoon: z.boolean(),
      /** The bundled data's own last year; `lastYear` also counts the years loaded after it. */
      bundledLastYear: z.number().int(),
      loaded: z.array(
        z.object({
          year: z.number().int(),
          /** Days off and days worked in lieu the year's notice gave. */
          holidays: z.number().int(),
          workdays: z.number().int(),
          loadedAt: isoTime,
          loadedBy: z.string().nullable()
        })
      ),
      upcoming: z.array(z.object({ day: z.string(), name: z.string() }))
    }),
    roles: MANAGERS
  },
  'system.loadHolidays': {
    write: 'resend',
    summary:
      'Load a year’s holidays and 调休 days from the State Council’s notice (its text as published, or one day or range per line), for a year the bundled data does not cover yet; a dry run only reads it.',
    input: z
      .object({
        year: z.number().int().min(2000).max(2100),
        text: z.string().max(20_000),
        dryRun: z.boolean()
      })
      .strict(),
    output: z.object({
      year: z.number().int(),
      /** Each holiday with its first and last day off, in date order. */
      holidays: z.array(z.object({ name: z.string(), from: z.string(), to: z.string(), days: z.number().int() })),
      workdays: z.array(z.object({ day: z.string(), name: z.string() })),
      saved: z.boolean()
    }),
    roles: ['admin']
  },
  'system.backupNow': {
    write: 'live',
    summary:
      'Back up everything now into the set folder (database, sealing key under the passphrase, new recordings), as the nightly backup does.',
    input: emptyInput,
    output: z.object({
      set: z.string(),
      seconds: z.number(),
      databaseBytes: z.number(),
      recordings: z.number().int()
    }),
    roles: ['admin']
  },
  'system.stats': {
    summary: 'Database size and row counts, for administrators.',
    input: emptyInput,
    output: z.object({
      dataDir: z.string(),
      dbBytes: z.number(),
      users: z.number().int(),
      activeSessions: z.number().int(),
      auditEntries: z.number().int()
    }),
    roles: MANAGERS
  },
  'system.hubs': {
    summary:
      'The centre’s hubs: this one (the writer, with its lease epoch) and its standbys, for seats to follow the lease; whether writes are replicated (then a seat keeps what it sent until `replication.confirmed`).',
    input: emptyInput,
    output: z.object({
      replicating: z.boolean(),
      epoch: z.number().int().nullable(),
      self: z.string().nullable(),
      hubs: z.array(z.string())
    }),
    roles: 'public'
  },
  'system.replication': {
    summary:
      'The database replicated by Litestream (a folder or the object store): running or not, the lag, the time before which every commit is in the replica.',
    input: emptyInput,
    output: z.object({
      configured: z.boolean(),
      replicating: z.boolean(),
      target: z.string().nullable(),
      pid: z.number().int().nullable(),
      startedAt: isoTime.nullable(),
      restarts: z.number().int(),
      lastError: z.string().nullable(),
      lagBytes: z.number().nullable(),
      replicatedAt: isoTime.nullable(),
      /** The write lease: this hub's epoch, its standbys heard from lately, when it took over (null: it started as the primary). */
      epoch: z.number().int().nullable(),
      self: z.string().nullable(),
      standbys: z.array(z.string()),
      takeoverAt: isoTime.nullable(),
      /** After a takeover with recordings on the hubs' own disks: how many this hub lacks (null: not counted). */
      recordingsMissing: z.number().int().nullable()
    }),
    roles: ['admin']
  },
  'system.handover': {
    write: 'live',
    summary:
      'Planned maintenance: this hub gives the write lease to its standby once its last write is in the replica, and stops; the seats follow. Administrators only, audited.',
    input: emptyInput,
    output: okOutput,
    roles: ['admin']
  }
})
