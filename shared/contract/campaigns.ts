import { z } from 'zod'
import { defineMethods } from './define'
import { ALL_ROLES, MANAGERS } from './roles'
import { idSchema, isoTime } from './common'
import { qaSettingsSchema } from './qa'

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

/** A calling window: on these ISO weekdays (1 = Monday … 7 = Sunday), from start to end, local time. */
export const callingWindowSchema = z
  .object({ days: z.array(z.number().int().min(1).max(7)).min(1).max(7), start: hhmm, end: hhmm })
  .refine((w) => w.start < w.end, { message: 'start must be before end' })
export type CallingWindow = z.infer<typeof callingWindowSchema>

/** An outcome (disposition) an operator can pick, and what it does to the lead. */
export const dispositionSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
  label: z.string().trim().min(1).max(32),
  /** The customer was reached (counts as connected in the figures). */
  connected: z.boolean(),
  /** Nothing more is done with the lead in this campaign. */
  final: z.boolean(),
  /** A success: the customer agreed to a visit, and the lead goes to dispatch. */
  success: z.boolean(),
  /** The operator books a callback time with it. */
  callback: z.boolean(),
  /** Not final: try the number again after this many minutes. */
  retryMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 90)
    .nullable(),
  /** Put the number on the do-not-call list for this many days (0: for good; null: no). */
  dncDays: z.number().int().min(0).max(3650).nullable(),
  /** The key that picks it on the desk (0–9). */
  hotkey: z
    .string()
    .regex(/^[0-9]$/)
    .nullable()
})
export type Disposition = z.infer<typeof dispositionSchema>

export const campaignSettingsSchema = z.object({
  /** Calling windows, inside the legal 09:00–21:00 (docs/domain.md). */
  windows: z.array(callingWindowSchema).min(1).max(14),
  /** China's statutory holidays and 调休 working weekends apply (the built-in calendar). */
  statutoryCalendar: z.boolean(),
  /** Extra days with no calling at all, YYYY-MM-DD (on top of the statutory holidays). */
  holidays: z.array(day).max(400),
  /** Extra working days that fall on a weekend, YYYY-MM-DD: the Monday windows apply. */
  extraWorkdays: z.array(day).max(100),
  /** Numbers from outside the centre's area (号码归属地): take them, flag them on the import report, or refuse them. */
  outsideArea: z.enum(['accept', 'flag', 'refuse']),
  /** What counts as outside: another city, or another province. */
  outsideScope: z.enum(['city', 'province']),
  /** A lead is not dialed more than this many times in the campaign. */
  maxAttempts: z.number().int().min(1).max(50),
  /** When an operator's callbacks and batch are done, the shared pool feeds the queue. */
  allowPool: z.boolean(),
  /** preview: the operator reads the card, then dials; progressive: the next lead dials itself after wrap-up. */
  dialMode: z.enum(['preview', 'progressive']),
  /** Progressive mode: seconds of the visible countdown before the next lead dials. */
  progressiveDelaySec: z.number().int().min(3).max(120),
  /** Wrap-up time after a call, seconds (then the desk asks for the outcome plainly). */
  wrapUpSec: z.number().int().min(5).max(900),
  /** Play the recorded disclosure (“本次通话将被录音”) to the customer on answer. */
  recordingNotice: z.boolean(),
  /** The insurer the campaign sells for (do-not-call entries scoped to an insurer apply to its campaigns). */
  insurer: z.string().trim().max(64).default(''),
  /** Successes per operator per day shown as a target (not a rule). */
  dailyTarget: z.number().int().min(0).max(500),
  dispositions: z
    .array(dispositionSchema)
    .min(1)
    .max(40)
    .refine((ds) => new Set(ds.map((d) => d.code)).size === ds.length, { message: 'codes must be unique' })
    .refine((ds) => ds.some((d) => d.success), { message: 'one outcome must be a success' }),
  /** Review queue rules and the success gate (质检). */
  qa: qaSettingsSchema
})
export type CampaignSettings = z.infer<typeof campaignSettingsSchema>

export const campaignSchema = z.object({
  id: idSchema,
  name: z.string(),
  active: z.boolean(),
  /** The training campaign: made-up customers for practice on the simulated line; no list, batch or figure. */
  training: z.boolean(),
  createdAt: isoTime,
  settings: campaignSettingsSchema
})
export type Campaign = z.infer<typeof campaignSchema>

/** A versioned call script (电销脚本). */
export const scriptStepSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,32}$/),
  title: z.string().trim().min(1).max(64),
  /** Text with {{姓名}}-style placeholders filled from the customer card and the operator. */
  text: z.string().max(4000),
  /** Must be said and ticked during the call (identity statement, recording notice, consent). */
  mandatory: z.boolean(),
  /** Branches the operator picks from here: the customer's answer → the next step. */
  branches: z.array(z.object({ label: z.string().trim().min(1).max(32), to: z.string() })).max(8)
})
export const scriptBodySchema = z
  .object({
    steps: z.array(scriptStepSchema).min(1).max(60),
    objections: z
      .array(z.object({ objection: z.string().trim().min(1).max(100), answer: z.string().max(2000) }))
      .max(60)
  })
  .refine((b) => new Set(b.steps.map((s) => s.id)).size === b.steps.length, { message: 'step ids must be unique' })
  .refine((b) => b.steps.every((s) => s.branches.every((br) => b.steps.some((t) => t.id === br.to))), {
    message: 'a branch leads to a step that does not exist'
  })
export type ScriptBody = z.infer<typeof scriptBodySchema>
export const scriptSchema = z.object({
  id: idSchema,
  campaignId: idSchema,
  version: z.number().int(),
  title: z.string(),
  body: scriptBodySchema,
  createdAt: isoTime,
  createdBy: z.string().nullable()
})
export type Script = z.infer<typeof scriptSchema>

export const campaignsMethods = defineMethods({
  'campaigns.list': {
    summary: 'The campaigns with their dialing settings.',
    input: z.object({}).strict(),
    output: z.array(campaignSchema),
    roles: ALL_ROLES
  },
  'campaigns.create': {
    write: 'resend',
    summary: 'A new campaign, with the default settings.',
    input: z.object({ name: z.string().trim().min(1).max(64) }).strict(),
    output: campaignSchema,
    roles: MANAGERS
  },
  'campaigns.update': {
    write: 'resend',
    summary: 'Change a campaign’s name, state or dialing settings (calling windows, outcomes, dial mode …).',
    input: z
      .object({
        id: idSchema,
        name: z.string().trim().min(1).max(64).optional(),
        active: z.boolean().optional(),
        settings: campaignSettingsSchema.partial().strict().optional()
      })
      .strict(),
    output: campaignSchema,
    roles: MANAGERS
  }
})
