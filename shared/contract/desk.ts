import { clientIdSchema } from './wire'
import { z } from 'zod'
import { PAUSE_REASONS, SKIP_REASONS } from './enums'
import { defineMethods } from './define'
import { teamScopeSchema } from './teams'
import { MANAGERS } from './roles'
import { idSchema, isoTime, okOutput } from './common'

const text = (max: number) => z.string().trim().max(max)
const opt = (max: number) => text(max).optional()

/** 客户资料卡: the four groups of docs/domain.md beyond the lead's own columns. */
export const customerCardSchema = z.object({
  basic: z
    .object({
      nativePlace: opt(64),
      maritalStatus: z.enum(['single', 'married', 'divorced', 'widowed']).optional(),
      education: opt(32),
      mobile2: opt(20),
      department: opt(64),
      employerAddress: opt(200),
      position: opt(64),
      workPhone: opt(20),
      occupationType: opt(32),
      email: opt(100),
      fax: opt(20),
      homePhone: opt(20),
      grade: z.enum(['high_value', 'high_contribution', 'ordinary', 'dormant']).optional()
    })
    .strict(),
  life: z
    .object({
      career: opt(500),
      finances: opt(500),
      hobbies: opt(500),
      social: opt(500),
      personality: opt(500),
      health: opt(500)
    })
    .strict(),
  family: z
    .array(z.object({ relation: text(16), name: opt(32), birthDate: opt(10), occupation: opt(64) }).strict())
    .max(20),
  insurance: z
    .array(
      z
        .object({
          insurer: text(64),
          product: opt(64),
          startDate: opt(10),
          term: opt(32),
          sumInsured: opt(32),
          annualPremium: opt(32)
        })
        .strict()
    )
    .max(30)
})
export type CustomerCard = z.infer<typeof customerCardSchema>
export const EMPTY_CARD: CustomerCard = { basic: {}, life: {}, family: [], insurance: [] }

export const deskLeadSchema = z.object({
  id: idSchema,
  campaignId: idSchema,
  campaignName: z.string(),
  /** Masked for roles that may not see numbers; the desk never shows the full number. */
  phone: z.string(),
  phoneKind: z.enum(['mobile', 'landline']),
  /** 号码归属地 (广西南宁市) and the carrier the number's range was allocated to; '' when not known. */
  phoneRegion: z.string(),
  phoneCarrier: z.string(),
  name: z.string().nullable(),
  gender: z.enum(['M', 'F']).nullable(),
  birthDate: z.string().nullable(),
  /** Whole years: from the birth date, else from the age the list stated on import (then approximate). */
  age: z.number().int().nullable(),
  ageApprox: z.boolean(),
  idNo: z.string().nullable(),
  address: z.string().nullable(),
  districtCode: z.string().nullable(),
  districtName: z.string().nullable(),
  employer: z.string().nullable(),
  occupation: z.string().nullable(),
  note: z.string().nullable(),
  status: z.string(),
  attempts: z.number().int(),
  card: customerCardSchema,
  /** Previous calls of this lead, newest first, one line each. */
  calls: z.array(
    z.object({
      callId: idSchema,
      at: isoTime,
      operator: z.string(),
      outcome: z.string().nullable(),
      notes: z.string().nullable(),
      durationMs: z.number().int(),
      recordingId: idSchema.nullable(),
      simulated: z.boolean(),
      /** The caller number the customer saw (外显), when the pool picked one. */
      shownNumber: z.string().nullable()
    })
  )
})
export type DeskLead = z.infer<typeof deskLeadSchema>

export const queueSourceSchema = z.enum(['callback', 'batch', 'pool'])

/** Why a lead cannot be dialed now, and from when it can (null: not again). */
export const blockSchema = z.object({
  code: z.enum([
    'holiday',
    'legalHours',
    'outsideWindow',
    'noWindows',
    'dnc',
    'maxAttempts',
    'retryLater',
    'cap24h',
    'cap5min',
    'leased',
    'final',
    'inactive'
  ]),
  text: z.string(),
  until: isoTime.nullable()
})
export type DialBlock = z.infer<typeof blockSchema>

export const agentStateSchema = z.enum(['offline', 'ready', 'dialing', 'on_call', 'wrap_up', 'paused'])
export type AgentState = z.infer<typeof agentStateSchema>

export const outcomeInputSchema = z
  .object({
    /** Made by the desk once per outcome: sending it again (after a reconnect) saves nothing twice. */
    clientId: clientIdSchema,
    leadId: idSchema,
    callId: idSchema.nullable(),
    disposition: z.string().max(32),
    notes: text(2000).optional(),
    callbackAt: isoTime.optional(),
    /** The callback is open to anyone in the campaign, not only this operator. */
    callbackOpen: z.boolean().optional(),
    visitAt: isoTime.optional(),
    districtCode: z.string().max(12).optional(),
    /** PIPL: the customer agreed that their details go to a field agent (required for a success). */
    consent: z.boolean().optional(),
    productInterest: opt(100),
    /** Sent again after the hub that acknowledged it went away (a standby took over): its call may be lost. */
    resent: z.boolean().optional()
  })
  .strict()

/** The desk's seat id (kept by a browser tab across its reloads): one desk of an operator works leads at a time. */
const seat = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/)
  .optional()

/** A callback is missed (the supervisor's list, the wallboard's 逾期回拨) this many minutes after it was due. */
export const MISSED_CALLBACK_MINUTES = 15

export const deskMethods = defineMethods({
  'desk.next': {
    write: 'live',
    summary:
      'Claim the next lead for me: my due callbacks, then my batch for today, then the shared pool; leased to me so no other seat gets it. Refused while another desk of mine is working, unless takeOver (that desk is told).',
    input: z
      .object({
        seat,
        takeOver: z.boolean().optional(),
        /** The desk works the simulated line outside a demo: training, on the training campaign's made-up customers only. */
        training: z.boolean().optional()
      })
      .strict(),
    output: z.union([
      z.object({
        lead: deskLeadSchema,
        source: queueSourceSchema,
        callbackId: idSchema.nullable(),
        /** Why it is to be called back: the note the callback was made with. */
        callbackNote: z.string().nullable(),
        leaseUntil: isoTime,
        dialMode: z.enum(['preview', 'progressive']),
        /** The lead came back for the outcome of this earlier call of mine (the desk was reloaded or closed during wrap-up). */
        unfinishedCallId: idSchema.optional()
      }),
      z.object({ lead: z.null(), reason: z.string(), nextAt: isoTime.nullable() })
    ]),
    roles: ['operator']
  },
  'desk.unfinished': {
    summary:
      'My last call of a lead that still owes its outcome (the page was reloaded, the browser crashed, another browser): the desk opens on its wrap-up.',
    input: z.object({}).strict(),
    output: z
      .object({
        lead: deskLeadSchema,
        source: queueSourceSchema,
        callbackId: idSchema.nullable(),
        callbackNote: z.string().nullable(),
        callId: idSchema,
        endedAt: isoTime.nullable(),
        wrapUpSec: z.number().int()
      })
      .nullable(),
    roles: ['operator']
  },
  'desk.inbound': {
    write: 'live',
    summary:
      'A customer’s return call rings my seat (the PBX gave the call id the hub routed): the customer’s card and history as it rings, masked as usual. The lead is leased to me for the call.',
    input: z.object({ callId: idSchema }).strict(),
    output: z.object({
      lead: deskLeadSchema,
      source: queueSourceSchema,
      callbackId: idSchema.nullable(),
      callbackNote: z.string().nullable(),
      callId: idSchema,
      wrapUpSec: z.number().int()
    }),
    roles: ['operator']
  },
  'desk.dial': {
    board: true,
    write: 'live',
    summary:
      'Dial the lead I hold: checked again against the calling rules, counted against the number’s caps, and a call started. The full number goes only to the softphone.',
    input: z.object({ leadId: idSchema, line: z.enum(['sip', 'simulated']), seat }).strict(),
    output: z.object({
      callId: idSchema,
      /** What the softphone dials as it is: a one-time token the PBX resolves, or the dial string when the PBX takes numbers; null: not a number that can be dialled. */
      dial: z.string().nullable(),
      recordingNotice: z.boolean(),
      scriptId: idSchema.nullable(),
      leaseUntil: isoTime,
      /** The caller number the softphone asks the PBX to show (E.164, 外显); null: the PBX's own. */
      callerId: z.string().nullable()
    }),
    roles: ['operator']
  },
  'desk.renew': {
    write: 'live',
    summary: 'My desk is alive and still working this lead: extend its lease.',
    input: z.object({ leadId: idSchema, seat }).strict(),
    output: z.object({ leaseUntil: isoTime }),
    roles: ['operator']
  },
  'desk.release': {
    write: 'live',
    summary:
      'Skip (跳过) a lead I hold and have not dialled: it goes back behind the others, the skip is kept with its reason, and a day has a number of skips.',
    input: z.object({ leadId: idSchema, reason: z.enum(SKIP_REASONS), seat }).strict(),
    output: okOutput,
    roles: ['operator']
  },
  'desk.outcome': {
    board: true,
    write: 'resend',
    summary:
      'Save the outcome of a lead (with its call) in one transaction: retry time, callback, do-not-call, or success for dispatch.',
    input: outcomeInputSchema,
    output: z.object({ outcomeId: idSchema, leadStatus: z.string(), duplicate: z.boolean() }),
    roles: ['operator']
  },
  'desk.why': {
    summary: 'Whether a lead can be dialed now; if not, why in words and from when.',
    input: z.object({ leadId: idSchema }).strict(),
    output: z.object({ dialable: z.boolean(), blocks: z.array(blockSchema) }),
    roles: ['operator', ...MANAGERS]
  },
  'desk.card': {
    summary: 'The customer card of a lead I hold (or one of mine), with its previous calls.',
    input: z.object({ leadId: idSchema }).strict(),
    output: deskLeadSchema,
    roles: ['operator', 'qa', ...MANAGERS]
  },
  'desk.saveCard': {
    write: 'resend',
    summary:
      'Edit the customer card during or after the call; an ID number is checked and fills birth date and gender.',
    input: z
      .object({
        leadId: idSchema,
        name: text(64).optional(),
        gender: z.enum(['M', 'F']).nullable().optional(),
        birthDate: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .nullable()
          .optional(),
        idNo: z.string().trim().max(18).optional(),
        address: text(200).optional(),
        employer: text(100).optional(),
        occupation: text(64).optional(),
        note: text(2000).optional(),
        card: customerCardSchema.optional()
      })
      .strict(),
    output: deskLeadSchema,
    roles: ['operator', ...MANAGERS]
  },
  'desk.unmask': {
    summary: 'Show one lead’s full number to a role allowed to unmask; written to the audit log.',
    input: z.object({ leadId: idSchema, reason: z.string().trim().min(2).max(200) }).strict(),
    output: z.object({ phone: z.string() }),
    roles: ['operator', 'qa', 'supervisor', 'leader', 'admin']
  },
  'desk.tick': {
    write: 'live',
    summary: 'A mandatory script step was said: stored with its offset in the call, for QA’s waveform.',
    input: z.object({ callId: idSchema, stepId: z.string().max(32), offsetMs: z.number().int().min(0) }).strict(),
    output: okOutput,
    roles: ['operator']
  },
  'desk.setState': {
    board: true,
    write: 'live',
    summary: 'My agent state: ready, dialing, on call, wrap-up, or paused with a reason.',
    input: z.object({ state: agentStateSchema, reason: z.enum(PAUSE_REASONS).optional(), seat }).strict(),
    output: z.object({ state: agentStateSchema, since: isoTime, wrapUpSec: z.number().int() }),
    roles: ['operator']
  },
  'desk.today': {
    summary: 'My figures for today: calls, connected, talk time, successes against the target.',
    input: z.object({}).strict(),
    output: z.object({
      calls: z.number().int(),
      connected: z.number().int(),
      talkSec: z.number().int(),
      successes: z.number().int(),
      target: z.number().int(),
      callbacksDue: z.number().int(),
      /** Skips used today, and how many a day has. */
      skips: z.number().int(),
      skipsPerDay: z.number().int()
    }),
    roles: ['operator']
  },
  'desk.callbacks': {
    summary: 'My pending callbacks (and open ones of my campaigns), soonest first.',
    input: z.object({}).strict(),
    output: z.array(
      z.object({
        id: idSchema,
        leadId: idSchema,
        name: z.string().nullable(),
        phone: z.string(),
        dueAt: isoTime,
        open: z.boolean(),
        note: z.string().nullable(),
        overdue: z.boolean()
      })
    ),
    roles: ['operator']
  },
  'desk.missedCallbacks': {
    summary: 'Callbacks past due and not made, for the supervisor.',
    input: z
      .object({
        teamId: teamScopeSchema,
        olderThanMinutes: z.number().int().min(0).max(10_080).default(MISSED_CALLBACK_MINUTES)
      })
      .strict(),
    output: z.array(
      z.object({
        id: idSchema,
        leadId: idSchema,
        name: z.string().nullable(),
        phone: z.string(),
        dueAt: isoTime,
        operator: z.string().nullable()
      })
    ),
    roles: MANAGERS
  },
  'desk.board': {
    summary: 'Every operator’s agent state now and since when, for the supervisor.',
    input: z.object({}).strict(),
    output: z.array(
      z.object({
        operatorId: idSchema,
        name: z.string(),
        state: agentStateSchema,
        reason: z.string().nullable(),
        since: isoTime.nullable()
      })
    ),
    roles: MANAGERS
  }
})

export { PAUSE_REASONS }
