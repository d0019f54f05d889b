import { z } from 'zod'
import { PAYMENT_FREQUENCIES, VISIT_RESULTS, COMPLAINT_CATEGORIES, SEVEN_POINTS } from './enums'
import { defineMethods } from './define'
import { districtCoverageSchema } from './districts'
import { MANAGERS } from './roles'
import { idSchema, isoTime } from './common'

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

/** The dispatch rhythm of the source plans (docs/domain.md), configurable. */
export const dispatchSettingsSchema = z.object({
  /** The day's successes are with the receiver by this time (the success package is sent then). */
  receiveBy: hhmm,
  /** Each success is assigned to a field agent by this time on the next working day. */
  assignBy: hhmm,
  /** … and at the latest this many hours before the agreed visit (whichever comes first). */
  assignBeforeVisitHours: z.number().int().min(0).max(72).default(2),
  /** The agent reports the visit within this many hours of the agreed time. */
  confirmHours: z.number().int().min(1).max(240),
  /** Working days of the field teams (ISO weekdays). */
  workdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  /** Cities organised by direction groups (east/south/west/north) instead of districts. */
  directionCities: z.array(z.string().max(32)).max(50),
  /** Send the day's success package by e-mail at `receiveBy` (SMTP settings needed). */
  packageEmail: z.boolean()
})
export type DispatchSettings = z.infer<typeof dispatchSettingsSchema>

/** 回访: when visited customers are called back, and the cooling-off rule for new life policies. */
export const followUpSettingsSchema = z.object({
  /** Worked on these weekdays (default Friday) … */
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  start: hhmm,
  end: hhmm,
  /** … with the results due on this weekday (default Saturday) at this time. */
  dueDay: z.number().int().min(1).max(7),
  dueTime: hhmm,
  /** 犹豫期: days from the customer's receipt of a new life policy of more than a year. */
  coolingOffDays: z.number().int().min(5).max(60),
  /** A 回访 closes as unreachable only after this many calls … */
  unreachableAttempts: z.number().int().min(1).max(10),
  /** … on at least this many different days, and with a second channel (SMS or letter) recorded. */
  unreachableDays: z.number().int().min(1).max(7),
  /** Minutes a 回访 stays with the one who dialled it (nobody else calls that customer for it meanwhile). */
  leaseMinutes: z.number().int().min(5).max(480)
})
export type FollowUpSettings = z.infer<typeof followUpSettingsSchema>

export const DISPATCH_STATES = ['new', 'assigned', 'visited', 'signed', 'not_interested', 'absent'] as const

export const policySchema = z.object({
  product: z.string().trim().min(1).max(64),
  /** A life (人身) policy: with a term over a year it gets the cooling-off follow-up. */
  life: z.boolean(),
  termYears: z.number().min(0).max(100),
  sumInsured: z.number().min(0).max(1e10),
  premium: z.number().min(0).max(1e9),
  paymentYears: z.number().int().min(1).max(100),
  paymentFrequency: z.enum(PAYMENT_FREQUENCIES),
  policyNo: z.string().trim().min(1).max(64),
  /** The day the customer received the policy (the cooling-off period counts from it). */
  receivedOn: day
})
export type Policy = z.infer<typeof policySchema>

export const dispatchSchema = z.object({
  id: idSchema,
  leadId: idSchema,
  customerName: z.string(),
  district: z.string(),
  districtCode: z.string(),
  unit: z.string(),
  operatorName: z.string(),
  visitAt: isoTime,
  state: z.enum(DISPATCH_STATES),
  agentId: idSchema.nullable(),
  agentName: z.string().nullable(),
  receiveDue: isoTime,
  assignDue: isoTime,
  confirmDue: isoTime.nullable(),
  /** Past a deadline it has not met: assignment, or the visit report. */
  late: z.enum(['assign', 'confirm']).nullable(),
  productInterest: z.string().nullable(),
  createdAt: isoTime,
  recordingId: idSchema.nullable()
})
export type Dispatch = z.infer<typeof dispatchSchema>

/** What a field agent sees of a visit: what the customer agreed to share, nothing more (PIPL). */
export const visitSchema = z.object({
  id: idSchema,
  customerName: z.string(),
  phone: z.string(),
  address: z.string().nullable(),
  district: z.string(),
  visitAt: isoTime,
  state: z.enum(DISPATCH_STATES),
  productInterest: z.string().nullable(),
  recordingId: idSchema.nullable(),
  /** The call, to flag it for QA (the customer said the operator promised something else). */
  callId: idSchema.nullable(),
  confirmDue: isoTime.nullable()
})
export type Visit = z.infer<typeof visitSchema>

export const followUpSchema = z.object({
  id: idSchema,
  dispatchId: idSchema,
  leadId: idSchema,
  customerName: z.string(),
  /** Masked unless the reader's role sees numbers; the softphone gets it from followUps.dial. */
  phone: z.string(),
  agentName: z.string().nullable(),
  district: z.string(),
  kind: z.enum(['visit', 'cooling_off']),
  from: isoTime,
  dueAt: isoTime,
  overdue: z.boolean(),
  state: z.enum(['open', 'done']),
  policy: policySchema.nullable(),
  result: z.enum(['satisfied', 'complaint', 'unreachable']).nullable(),
  complaint: z.enum(COMPLAINT_CATEGORIES).nullable(),
  checks: z.record(z.string(), z.enum(['yes', 'no'])).nullable(),
  notes: z.string().nullable(),
  doneBy: z.string().nullable(),
  doneAt: isoTime.nullable(),
  /** Calls made for it so far. */
  attempts: z.number().int(),
  /** Someone else is on it (its lease): their name; null when it is free or mine. */
  heldBy: z.string().nullable(),
  /** Unreachable: how the customer was told otherwise. */
  secondChannel: z.enum(['sms', 'letter']).nullable(),
  /** The customer asked to cancel in the cooling-off period (犹豫期退保). */
  cancellation: z.boolean()
})
export type FollowUp = z.infer<typeof followUpSchema>

export const smtpSchema = z.object({
  host: z.string().trim().max(255),
  port: z.number().int().min(1).max(65535),
  /** Implicit TLS from the first byte (usually port 465); otherwise STARTTLS, required unless `plain`. */
  secure: z.boolean(),
  /** Send without encryption, on purpose (a relay on this machine or inside the LAN). Off by default. */
  plain: z.boolean().default(false),
  user: z.string().max(255),
  from: z.string().max(255),
  to: z.array(z.string().email().max(255)).max(20)
})

export const range = z.object({ from: isoTime, to: isoTime }).strict()

export const dispatchMethods = defineMethods({
  'dispatch.list': {
    summary: 'Dispatches: a leader sees their district’s (or direction group’s), supervisors all; late ones flagged.',
    input: z
      .object({ state: z.enum(DISPATCH_STATES).optional(), limit: z.number().int().min(1).max(1000).default(300) })
      .strict(),
    output: z.array(dispatchSchema),
    roles: ['leader', 'supervisor', 'admin']
  },
  'dispatch.agents': {
    summary: 'The field agents a dispatch may go to: those of its district (不得跨区营销), with their open visits.',
    input: z.object({ dispatchId: idSchema }).strict(),
    output: z.array(z.object({ id: idSchema, name: z.string(), open: z.number().int() })),
    roles: ['leader', 'supervisor', 'admin']
  },
  'dispatch.team': {
    summary:
      'The field agents of my team (a leader) or of every team (supervisors), with their open, visited and signed visits.',
    input: z.object({}).strict(),
    output: z.array(
      z.object({
        id: idSchema,
        name: z.string(),
        district: z.string().nullable(),
        open: z.number().int(),
        late: z.number().int(),
        visited: z.number().int(),
        signed: z.number().int()
      })
    ),
    roles: ['leader', 'supervisor', 'admin']
  },
  'dispatch.assign': {
    board: true,
    write: 'resend',
    summary:
      'Assign (or reassign) a dispatch to a field agent of its own district; an agent of another district is refused, whoever asks.',
    input: z.object({ dispatchId: idSchema, agentId: idSchema, note: z.string().trim().max(200).optional() }).strict(),
    output: dispatchSchema,
    roles: ['leader', 'supervisor', 'admin']
  },
  'dispatch.myVisits': {
    summary: 'A field agent’s visits, today’s and upcoming first, with only what the customer agreed to share.',
    input: z.object({}).strict(),
    output: z.array(visitSchema),
    roles: ['field_agent']
  },
  'dispatch.report': {
    board: true,
    write: 'resend',
    summary:
      'Report a visit: visited, policy signed (with the policy), not interested, customer absent, or rescheduled (with the new time).',
    input: z
      .object({
        dispatchId: idSchema,
        result: z.enum(VISIT_RESULTS),
        newVisitAt: isoTime.optional(),
        policy: policySchema.optional(),
        notes: z.string().trim().max(1000).optional()
      })
      .strict(),
    output: z.object({ ok: z.literal(true), followUpId: idSchema.nullable() }),
    roles: ['field_agent']
  },
  'dispatch.board': {
    summary:
      'The chain from success to follow-up over a period: counts at each step, per district and agent, and what is late.',
    input: range,
    output: z.object({
      chain: z.object({
        successes: z.number().int(),
        qaPassed: z.number().int(),
        dispatched: z.number().int(),
        assigned: z.number().int(),
        visited: z.number().int(),
        signed: z.number().int(),
        followedUp: z.number().int()
      }),
      districts: z.array(
        z.object({
          district: z.string(),
          dispatched: z.number().int(),
          assigned: z.number().int(),
          visited: z.number().int(),
          signed: z.number().int(),
          hoursToVisit: z.number().nullable()
        })
      ),
      agents: z.array(
        z.object({
          agent: z.string(),
          district: z.string(),
          assigned: z.number().int(),
          visited: z.number().int(),
          signed: z.number().int(),
          satisfied: z.number().int(),
          complaints: z.number().int()
        })
      ),
      late: z.object({ assign: z.number().int(), confirm: z.number().int(), followUps: z.number().int() }),
      /** Districts with successes waiting and no leader or no active agent to visit them. */
      uncovered: z.array(districtCoverageSchema)
    }),
    roles: MANAGERS
  },
  'dispatch.package': {
    summary: 'The success package of a day (XLSX of the successes with their recordings, in a ZIP) to download.',
    input: z.object({ day }).strict(),
    output: z.object({ token: z.string(), fileName: z.string(), successes: z.number().int() }),
    roles: MANAGERS
  },
  'dispatch.sendPackage': {
    write: 'live',
    summary: 'E-mail the success package of a day to the configured receivers now.',
    input: z.object({ day }).strict(),
    output: z.object({ sentTo: z.array(z.string()), successes: z.number().int() }),
    roles: MANAGERS
  }
})

export { PAYMENT_FREQUENCIES, VISIT_RESULTS, COMPLAINT_CATEGORIES, SEVEN_POINTS }
