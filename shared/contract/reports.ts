import { z } from 'zod'
import { FUNNEL_STEPS } from './enums'
import { defineMethods } from './define'
import { districtCoverageSchema } from './districts'
import { teamScopeSchema } from './teams'
import { MANAGERS } from './roles'
import { idSchema, isoTime } from './common'
import { agentStateSchema } from './desk'

const range = { from: isoTime, to: isoTime }

export const operatorRowSchema = z.object({
  operatorId: idSchema,
  operator: z.string(),
  calls: z.number().int(),
  connected: z.number().int(),
  connectRate: z.number(),
  talkSec: z.number().int(),
  /** Average handle time: talk plus wrap-up, per answered call. */
  ahtSec: z.number().int(),
  successes: z.number().int(),
  /** Successes per connected call. */
  conversion: z.number(),
  qaReviews: z.number().int(),
  qaAverage: z.number().nullable(),
  qaPassRate: z.number().nullable(),
  pauseSec: z.record(z.string(), z.number().int())
})
export type OperatorRow = z.infer<typeof operatorRowSchema>

export const teamRowSchema = z.object({
  /** null: the operators in no team. */
  teamId: idSchema.nullable(),
  team: z.string().nullable(),
  operators: z.number().int(),
  calls: z.number().int(),
  connected: z.number().int(),
  connectRate: z.number(),
  talkSec: z.number().int(),
  successes: z.number().int(),
  conversion: z.number()
})
export type TeamRow = z.infer<typeof teamRowSchema>

export const funnelSchema = z.object({
  steps: z.array(z.object({ step: z.enum(FUNNEL_STEPS), count: z.number().int(), rate: z.number() })),
  batches: z.array(
    z.object({
      batchId: idSchema,
      batch: z.string(),
      source: z.string(),
      counts: z.record(z.string(), z.number().int())
    })
  )
})

export const liveSchema = z.object({
  operators: z.array(
    z.object({
      operatorId: idSchema,
      name: z.string(),
      state: agentStateSchema,
      reason: z.string().nullable(),
      since: isoTime.nullable(),
      calls: z.number().int(),
      connected: z.number().int(),
      talkSec: z.number().int(),
      successes: z.number().int(),
      target: z.number().int()
    })
  ),
  campaigns: z.array(
    z.object({
      campaignId: idSchema,
      name: z.string(),
      calls: z.number().int(),
      connected: z.number().int(),
      successes: z.number().int(),
      /** Queue health: leads dialable now, and why the others are not. */
      dialableNow: z.number().int(),
      outsideWindow: z.number().int(),
      retryPending: z.number().int(),
      held: z.number().int(),
      exhausted: z.number().int(),
      dnc: z.number().int(),
      done: z.number().int(),
      windowOpen: z.boolean()
    })
  ),
  overdue: z.object({ callbacks: z.number().int(), dispatches: z.number().int(), followUps: z.number().int() }),
  /** 未接来电: customers' return calls nobody answered, waiting for their callback (and those past its due time). */
  returnCalls: z.object({ waiting: z.number().int(), overdue: z.number().int() }),
  /** 外显号码池 today: numbers in use, suspended (marked, or by their health), at their daily cap; calls shown and answered. */
  callerPool: z.object({
    active: z.number().int(),
    suspended: z.number().int(),
    atCap: z.number().int(),
    calls: z.number().int(),
    answered: z.number().int()
  }),
  /** Recordings archived in an S3 store: those waiting for the store (it grows while the store is away), failing, since when; null: the local folder. */
  archive: z
    .object({
      localOnly: z.number().int(),
      failing: z.number().int(),
      oldestWaitingAt: isoTime.nullable(),
      lastError: z.string().nullable()
    })
    .nullable(),
  /** Districts with successes waiting and nobody to visit them (no leader, or no active agent). */
  uncovered: z.array(districtCoverageSchema),
  /** Whether the nightly backup is set up, and the last backup: when, whether it worked, and why not (null: none yet). */
  backup: z.object({
    scheduled: z.boolean(),
    /** The hub was started with a backup passphrase (without one, no backup can be made). */
    passphrase: z.boolean(),
    last: z.object({ at: isoTime, ok: z.boolean(), message: z.string().nullable() }).nullable()
  })
})
export type Live = z.infer<typeof liveSchema>

export const reportsMethods = defineMethods({
  'reports.live': {
    summary:
      'The wallboard: every operator’s state and today’s figures, each campaign’s figures and queue health, and what is overdue.',
    input: z.object({ teamId: teamScopeSchema }).strict(),
    output: liveSchema,
    roles: MANAGERS
  },
  'reports.operators': {
    summary:
      'Per operator over a period, in one campaign or all: calls, connect rate, talk time, average handle time, successes, conversion, QA average and pass rate, pause time by reason (simulated calls never count).',
    input: z.object({ ...range, campaignId: idSchema.optional(), teamId: teamScopeSchema }).strict(),
    output: z.array(operatorRowSchema),
    roles: MANAGERS
  },
  'reports.teams': {
    summary:
      'Per team over a period, from the same daily figures: operators, calls, connect rate, talk time, successes, conversion.',
    input: z.object({ ...range, campaignId: idSchema.optional() }).strict(),
    output: z.array(teamRowSchema),
    roles: MANAGERS
  },
  'reports.funnel': {
    summary:
      'The funnel of the batches imported in a period, from import to follow-up, with counts and rates at each step, in all and by batch.',
    input: z.object(range).strict(),
    output: funnelSchema,
    roles: MANAGERS
  },
  'reports.numberQuality': {
    summary:
      'Number quality per batch imported in a period: rows, invalid at import, and the numbers found vacant, suspended or wrong when dialed, with the bad share.',
    input: z.object(range).strict(),
    output: z.array(
      z.object({
        batchId: idSchema,
        batch: z.string(),
        source: z.string(),
        rows: z.number().int(),
        imported: z.number().int(),
        invalidAtImport: z.number().int(),
        dialed: z.number().int(),
        vacant: z.number().int(),
        suspended: z.number().int(),
        wrongNumber: z.number().int(),
        /** (invalid at import + vacant + suspended + wrong) / rows */
        badShare: z.number()
      })
    ),
    roles: MANAGERS
  },
  'reports.dailyList': {
    summary: 'The daily reports made so far, newest first.',
    input: z.object({}).strict(),
    output: z.array(z.object({ day: z.string(), createdAt: isoTime })),
    roles: MANAGERS
  },
  'reports.daily': {
    summary:
      'The daily report of a day (operators, the funnel, number quality, the successes) to download; made now when it is missing or when asked afresh.',
    input: z
      .object({
        day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        fresh: z.boolean().default(false),
        // the centre's report by default; a supervisor held to their own teams gets theirs
        teamId: teamScopeSchema
      })
      .strict(),
    output: z.object({ token: z.string(), fileName: z.string() }),
    roles: MANAGERS
  },
  'reports.export': {
    summary: 'A report as an XLSX whose cells are the figures on the screen.',
    input: z
      .object({
        report: z.enum(['operators', 'teams', 'funnel', 'numberQuality', 'districts']),
        ...range,
        campaignId: idSchema.optional(),
        teamId: teamScopeSchema
      })
      .strict(),
    output: z.object({ token: z.string(), fileName: z.string() }),
    roles: MANAGERS
  }
})

export { FUNNEL_STEPS }
