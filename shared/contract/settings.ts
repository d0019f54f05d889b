import { z } from 'zod'
import { defineMethods } from './define'
import { ALL_ROLES, roleSchema } from './roles'
import { emptyInput, localeSchema } from './common'
import { dispatchSettingsSchema, followUpSettingsSchema } from './dispatch'

const knownZones = new Set<string>()
function isTimeZone(tz: string): boolean {
  if (knownZones.has(tz)) return true
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    knownZones.add(tz)
    return true
  } catch {
    return false
  }
}

/** Organisation-wide settings kept by core. Per-seat settings (hub URL) stay on the seat. */
export const settingsSchema = z.object({
  orgName: z.string().max(64),
  defaultLocale: localeSchema,
  demoMode: z.boolean(),
  /** Hours a login stays valid. */
  sessionHours: z.number().int().min(1).max(72),
  /** Failed logins in a row that lock an account … */
  lockoutThreshold: z.number().int().min(3).max(20),
  /** … for this many minutes. */
  lockoutMinutes: z.number().int().min(1).max(1440),
  /** Area code put before bare local landline numbers in imported lists (0771: Nanning). */
  areaCode: z.string().regex(/^0\d{2,3}$/),
  /** The centre's province and city (广西, 南宁市): numbers from elsewhere are counted on imports, and campaigns may flag or refuse them. */
  area: z.object({ province: z.string().trim().min(2).max(16), city: z.string().trim().min(2).max(32) }),
  /** Dial plan: some PBXs and carriers need a 0 before a mobile from outside the PBX's city (the centre's city). */
  dialPlan: z.object({ zeroForOutOfTownMobiles: z.boolean() }),
  /**
   * The PBX dials by one-time token: a desk is given a token for each call, never the customer's
   * number, and the PBX asks the hub for the number (so a seat's SIP password dials nothing by
   * itself). Off only for a PBX that cannot resolve tokens: then the number goes to the seat.
   */
  telephony: z.object({ pbxDialsByToken: z.boolean() }),
  /** The centre's time zone: calling windows and the legal 09:00–21:00 are read in it. */
  timeZone: z.string().min(1).max(64).refine(isTimeZone, 'unknown time zone'),
  /** Dials to one number, across all operators and campaigns: at most this many in 24 hours … */
  capPerNumber24h: z.number().int().min(1).max(20),
  /** … and this many in any 5 minutes. */
  capPerNumber5min: z.number().int().min(1).max(5),
  /** Minutes a lead stays leased to an operator's desk without a sign of life from it. */
  leaseMinutes: z.number().int().min(1).max(120),
  /** 号码脱敏: how numbers are masked for roles that may not see them. */
  maskStyle: z.enum(['middle4', 'keepLast4']),
  /** Roles that see numbers in the clear (they import the lists and keep the do-not-call list). */
  clearRoles: z.array(roleSchema).max(6),
  /** Roles that may unmask one lead's number on demand; each unmasking is written to the audit log. */
  unmaskRoles: z.array(roleSchema).max(6),
  /** Skips (跳过): how many an operator has per day, and when a skipped lead of the shared pool comes round again. */
  skips: z.object({ perDay: z.number().int().min(0).max(500), retryMinutes: z.number().int().min(1).max(1440) }),
  /** Dispatch deadlines, direction-group cities, the success package by e-mail. */
  dispatch: dispatchSettingsSchema,
  /** 回访: the follow-up window and the cooling-off period. */
  followUp: followUpSettingsSchema,
  /** Field agents visit customers between these times (the centre's zone): a success's visit time is offered and accepted inside them. */
  visitHours: z
    .object({
      start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
      end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    })
    .refine((v) => v.start < v.end, 'start before end'),
  /** The nightly backup (database, sealing key, new recordings) into a folder on another disk or a NAS; empty: none. */
  backup: z.object({
    // a folder on the hub's machine (a second disk, a NAS mount): absolute, or empty for none
    folder: z
      .string()
      .max(512)
      .refine(
        (f) => f === '' || /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(f),
        'an absolute folder on the hub, e.g. /mnt/nas/leadline'
      ),
    at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
    keepDays: z.number().int().min(1).max(3650)
  }),
  /** The do-not-call list: a refusal put on it by hand or by a list stops the number this many days (a request, a complaint: for good). */
  dnc: z.object({ refusalDays: z.number().int().min(1).max(3650) }),
  /** 投诉: a decision within `decisionDays` of receipt, once extendable (with a reason) to `extendedDays`. */
  complaints: z
    .object({ decisionDays: z.number().int().min(1).max(90), extendedDays: z.number().int().min(1).max(180) })
    .refine((v) => v.extendedDays >= v.decisionDays, 'extendedDays ≥ decisionDays'),
  /** 外显号码池: a number's calls a day unless its line says otherwise. */
  callerId: z.object({
    dailyCap: z.number().int().min(1).max(10_000),
    /** Number health: below this answer rate today, once it has made `minCallsForHealth` calls, a number is taken out of use. */
    minAnswerRate: z.number().min(0).max(1),
    minCallsForHealth: z.number().int().min(5).max(10_000)
  }),
  /** 回拨路由: a customer's return call that nobody answered is a callback due this many minutes later; a seat rings this long at most. */
  inbound: z.object({
    missedCallbackMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    ringSeconds: z.number().int().min(10).max(300)
  }),
  /** How long each class of personal data is kept (docs/domain.md, 保留期限); the retention run deletes what is past it. */
  retention: z.object({
    /** A supplier's raw rows (the import report's cells), days after the import. */
    supplierRowsDays: z.number().int().min(1).max(3650),
    /** Leads never reached, not interested, refused or not signed, with their recordings: days after the last contact. */
    unsignedDays: z.number().int().min(30).max(3650),
    /** A signed policy's record (recordings, calls, card), years after the sale: a term of a year or less, and longer. */
    signedShortYears: z.number().int().min(5).max(30),
    signedLongYears: z.number().int().min(10).max(30),
    /** Exports left in the data folder (reports, recordings, lists), days. */
    exportDays: z.number().int().min(1).max(365),
    /** Uploads never imported (refused files), days. */
    rejectedUploadDays: z.number().int().min(1).max(30)
  }),
  /** Supervisors see their own team (班组) first; may they switch to every team? */
  teams: z.object({ supervisorsSeeAll: z.boolean() }),
  /** Whether the operator's desk says that the call is monitored, per mode (监听 silent by default). */
  monitoring: z.object({ showListen: z.boolean(), showWhisper: z.boolean(), showBarge: z.boolean() }),
  /** The daily report is made at this time every day (and on demand). */
  reports: z.object({ dailyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM') }),
  /** Share this seat's pool on the LAN (desktop only; the headless hub always serves). */
  lanHub: z.object({
    enabled: z.boolean(),
    host: z.string().max(64),
    port: z.number().int().min(1024).max(65535)
  })
})
export type Settings = z.infer<typeof settingsSchema>

export const settingsMethods = defineMethods({
  'settings.get': {
    summary: 'The organisation’s settings.',
    input: emptyInput,
    output: settingsSchema,
    roles: ALL_ROLES
  },
  'settings.update': {
    write: 'resend',
    summary: 'Change some of the organisation’s settings.',
    input: settingsSchema
      .omit({ lanHub: true })
      .partial()
      .extend({ lanHub: settingsSchema.shape.lanHub.partial().strict().optional() })
      .strict(),
    output: settingsSchema,
    roles: ['admin']
  }
})
