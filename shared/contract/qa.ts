import { z } from 'zod'
import { VERDICTS, QA_STATES, LIBRARY_SORTS, RULE_METRICS } from './enums'
import { defineMethods } from './define'
import { teamScopeSchema } from './teams'
import { MANAGERS, QA_ROLES } from './roles'
import { idSchema, isoTime } from './common'
import { callMetricsSchema, recordingSchema } from './recordings'

/** QA reviewers, and the supervisors and administrators above them. */

export const qaRuleSchema = z.object({
  metric: z.enum(RULE_METRICS),
  op: z.enum(['gt', 'lt']),
  value: z.number().min(0)
})
export type QaRule = z.infer<typeof qaRuleSchema>

/** A campaign's QA settings (part of its settings). */
export const qaSettingsSchema = z.object({
  /** Successes go to dispatch only after their call passes QA. */
  gate: z.boolean(),
  /** Every success (同意约访) call is reviewed. */
  reviewSuccesses: z.boolean(),
  /** Of the other recorded calls, this share per operator per week. */
  samplePercent: z.number().min(0).max(100),
  /** Any call whose metrics match a rule is reviewed (e.g. talk-over above 10%). */
  rules: z.array(qaRuleSchema).max(20)
})
export type QaSettings = z.infer<typeof qaSettingsSchema>

const itemId = z.string().regex(/^[a-z0-9_-]{1,32}$/)
export const scorecardItemSchema = z.object({
  id: itemId,
  group: z.string().trim().min(1).max(32),
  title: z.string().trim().min(1).max(100),
  /** Points for the item; an item that fails the call on its own may have none. */
  points: z.number().int().min(0).max(100),
  /** Failing this item fails the whole call (misleading about returns, no consent to share data …). */
  autoFail: z.boolean(),
  /** mandatorySteps: pre-filled from the script steps the operator ticked (all mandatory ones present). */
  check: z.enum(['manual', 'mandatorySteps']),
  hint: z.string().max(500).optional()
})
export type ScorecardItem = z.infer<typeof scorecardItemSchema>
export const scorecardBodySchema = z
  .object({
    title: z.string().trim().min(1).max(64),
    /** A call passes with at least this share of the points (percent) and no auto-fail item failed. */
    passMark: z.number().int().min(0).max(100),
    items: z.array(scorecardItemSchema).min(1).max(60)
  })
  .refine((b) => new Set(b.items.map((i) => i.id)).size === b.items.length, { message: 'item ids must be unique' })
export type ScorecardBody = z.infer<typeof scorecardBodySchema>
export const scorecardSchema = z.object({
  id: idSchema,
  campaignId: idSchema,
  version: z.number().int(),
  body: scorecardBodySchema,
  createdAt: isoTime
})
export type Scorecard = z.infer<typeof scorecardSchema>

export const verdictSchema = z.enum(VERDICTS)
export type Verdict = z.infer<typeof verdictSchema>
export const REVIEW_STATES = ['submitted', 'appealed', 'reopened', 'final'] as const

export const itemScoreSchema = z.object({
  itemId,
  score: z.number().min(0).max(100),
  /** An auto-fail item failed (its score is then 0). */
  failed: z.boolean(),
  note: z.string().trim().max(500).optional()
})
export const reviewEventSchema = z.object({
  at: isoTime,
  user: z.string(),
  action: z.string(),
  verdict: verdictSchema.nullable(),
  note: z.string().nullable()
})
export const reviewSchema = z.object({
  id: idSchema,
  callId: idSchema,
  recordingId: idSchema,
  operatorId: idSchema,
  operatorName: z.string(),
  reviewerName: z.string(),
  scorecardId: idSchema,
  scores: z.array(itemScoreSchema),
  total: z.number(),
  max: z.number(),
  autoFailed: z.boolean(),
  verdict: verdictSchema,
  comment: z.string().nullable(),
  state: z.enum(REVIEW_STATES),
  createdAt: isoTime,
  updatedAt: isoTime,
  events: z.array(reviewEventSchema)
})
export type Review = z.infer<typeof reviewSchema>

export const annotationSchema = z.object({
  id: idSchema,
  startMs: z.number().int(),
  endMs: z.number().int(),
  comment: z.string(),
  itemId: z.string().nullable(),
  by: z.string(),
  at: isoTime
})
export type Annotation = z.infer<typeof annotationSchema>

export const qaStateSchema = z.enum(QA_STATES)
export const QUEUE_REASONS = ['success', 'sample', 'flag', 'metric'] as const

export const libraryRowSchema = z.object({
  recordingId: idSchema,
  callId: idSchema,
  startedAt: isoTime,
  durationMs: z.number().int(),
  state: recordingSchema.shape.state,
  line: recordingSchema.shape.line,
  direction: z.enum(['outbound', 'inbound']),
  operatorId: idSchema,
  operatorName: z.string(),
  campaignName: z.string().nullable(),
  leadId: idSchema.nullable(),
  customerName: z.string().nullable(),
  /** Masked unless the reader's role sees numbers. */
  phone: z.string().nullable(),
  /** 号码归属地 (广西南宁市), '' when not known. */
  phoneRegion: z.string(),
  /** The caller number the customer saw (外显), when the pool picked one. */
  shownNumber: z.string().nullable(),
  outcome: z.string().nullable(),
  success: z.boolean(),
  district: z.string().nullable(),
  qaState: qaStateSchema,
  reasons: z.array(z.string()),
  metrics: callMetricsSchema.nullable()
})
export type LibraryRow = z.infer<typeof libraryRowSchema>

export const libraryFilterSchema = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    operatorId: idSchema.optional(),
    campaignId: idSchema.optional(),
    disposition: z.string().max(32).optional(),
    districtCode: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    /** 号码归属地: a province (广西), optionally a city in it (南宁市). */
    phoneProvince: z.string().max(16).optional(),
    phoneCity: z.string().max(32).optional(),
    qaState: qaStateSchema.optional(),
    minDurationSec: z.number().int().min(0).optional(),
    maxDurationSec: z.number().int().min(0).optional(),
    /** Any part of the customer's phone number or name. */
    q: z.string().trim().max(32).optional(),
    /** Only the queue: calls waiting for review (open entries). */
    queued: z.boolean().optional()
  })
  .strict()
export type LibraryFilter = z.infer<typeof libraryFilterSchema>

const step = z.object({ stepId: z.string(), title: z.string(), mandatory: z.boolean() })

export const qaMethods = defineMethods({
  'qa.library': {
    summary:
      'Recordings found by date, operator, campaign, outcome, district, QA state, duration, or any part of the phone number or name; sorted, a page at a time.',
    input: z
      .object({
        filter: libraryFilterSchema.default({}),
        sort: z.enum(LIBRARY_SORTS).default('startedAt'),
        dir: z.enum(['asc', 'desc']).default('desc'),
        offset: z.number().int().min(0).max(10_000_000).default(0),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    output: z.object({ rows: z.array(libraryRowSchema), total: z.number().int() }),
    roles: QA_ROLES
  },
  'qa.queue': {
    summary: 'The review queue: open entries, successes waiting at the gate first, with who holds each claim.',
    input: z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict(),
    output: z.array(
      libraryRowSchema.extend({
        addedAt: isoTime,
        claimedBy: z.string().nullable(),
        claimedUntil: isoTime.nullable(),
        mine: z.boolean(),
        gate: z.boolean()
      })
    ),
    roles: QA_ROLES
  },
  'qa.claim': {
    write: 'live',
    summary:
      'Claim a call to review (the given one, or the next open one) for 30 minutes; a claim held by another reviewer is refused.',
    input: z.object({ callId: idSchema.optional() }).strict(),
    output: z.object({ callId: idSchema, recordingId: idSchema, claimedUntil: isoTime }).nullable(),
    roles: ['qa']
  },
  'qa.release': {
    write: 'live',
    summary: 'Give a claimed call back to the queue without reviewing it.',
    input: z.object({ callId: idSchema }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ['qa']
  },
  'qa.flag': {
    write: 'resend',
    summary:
      'Flag a call for review with a reason (an operator their own calls, a field agent the calls of their visits; QA and supervisors any).',
    input: z.object({ callId: idSchema, reason: z.string().trim().min(1).max(500) }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ['operator', 'field_agent', 'qa', 'supervisor', 'admin']
  },
  'qa.context': {
    summary:
      'Everything the review page shows for a recording: peaks, the call, its metrics, the script steps ticked and missing, annotations, the scorecard, the review and its history, the queue entry and flags.',
    input: z.object({ recordingId: idSchema }).strict(),
    output: z.object({
      recording: recordingSchema.extend({ peaks: z.string() }),
      call: libraryRowSchema.omit({ metrics: true }),
      metrics: callMetricsSchema,
      ticks: z.array(step.extend({ offsetMs: z.number().int() })),
      missingSteps: z.array(step),
      annotations: z.array(annotationSchema),
      scorecard: scorecardSchema,
      review: reviewSchema.nullable(),
      claim: z.object({ by: z.string().nullable(), until: isoTime.nullable(), mine: z.boolean() }).nullable(),
      flags: z.array(z.object({ by: z.string(), reason: z.string(), at: isoTime })),
      gate: z.enum(['pending', 'passed', 'failed']).nullable()
    }),
    roles: QA_ROLES
  },
  'qa.annotate': {
    write: 'resend',
    summary: 'Mark a region of the waveform with a comment (optionally for a scorecard item).',
    input: z
      .object({
        recordingId: idSchema,
        startMs: z.number().int().min(0),
        endMs: z.number().int().min(0),
        comment: z.string().trim().min(1).max(1000),
        itemId: itemId.optional()
      })
      .strict()
      .refine((a) => a.endMs >= a.startMs, { message: 'end before start' }),
    output: annotationSchema,
    roles: ['qa']
  },
  'qa.deleteAnnotation': {
    write: 'resend',
    summary: 'Remove one of my annotations.',
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ['qa']
  },
  'qa.submit': {
    write: 'resend',
    summary:
      'Submit (or resubmit a reopened) review: item scores, verdict, comment. An auto-fail item failed forces a fail; a pass needs the pass mark. Settles the success gate.',
    input: z
      .object({
        callId: idSchema,
        scores: z.array(itemScoreSchema).min(1).max(60),
        verdict: verdictSchema,
        comment: z.string().trim().max(2000).optional()
      })
      .strict(),
    output: reviewSchema,
    roles: ['qa']
  },
  'qa.myReviews': {
    summary: 'The reviews of my calls, newest first, with their history.',
    input: z.object({ limit: z.number().int().min(1).max(200).default(100) }).strict(),
    output: z.array(
      reviewSchema.extend({
        startedAt: isoTime,
        customerName: z.string().nullable(),
        outcome: z.string().nullable(),
        scorecard: scorecardBodySchema,
        annotations: z.array(annotationSchema)
      })
    ),
    roles: ['operator']
  },
  'qa.appeal': {
    write: 'resend',
    summary: 'Appeal the verdict on one of my calls, with a reason.',
    input: z.object({ reviewId: idSchema, reason: z.string().trim().min(2).max(1000) }).strict(),
    output: reviewSchema,
    roles: ['operator']
  },
  'qa.appeals': {
    summary: 'Reviews under appeal, oldest first.',
    input: z.object({ teamId: teamScopeSchema }).strict(),
    output: z.array(reviewSchema.extend({ startedAt: isoTime, appealReason: z.string().nullable() })),
    roles: MANAGERS
  },
  'qa.decide': {
    write: 'resend',
    summary:
      'Decide an appeal: uphold the verdict, overturn it (with the new verdict), or reopen the review for the reviewer. Also reopens a settled review.',
    input: z
      .object({
        reviewId: idSchema,
        decision: z.enum(['uphold', 'overturn', 'reopen']),
        verdict: verdictSchema.optional(),
        note: z.string().trim().min(1).max(1000)
      })
      .strict(),
    output: reviewSchema,
    roles: MANAGERS
  },
  'qa.returned': {
    summary:
      'Successes that failed QA at the gate, with the reason, or that had no recording to review, for the supervisors to settle.',
    input: z.object({ teamId: teamScopeSchema }).strict(),
    output: z.array(
      z.object({
        leadId: idSchema,
        customerName: z.string(),
        operatorName: z.string(),
        operatorId: idSchema,
        /** Null: the success had no recording to review (reason 'no_recording'). */
        reviewId: idSchema.nullable(),
        recordingId: idSchema.nullable(),
        verdict: verdictSchema.nullable(),
        reason: z.string().nullable(),
        at: isoTime
      })
    ),
    roles: MANAGERS
  },
  'qa.settleReturned': {
    write: 'resend',
    summary: 'A failed success: back to its operator to call again, or closed as not a sale.',
    input: z
      .object({ leadId: idSchema, action: z.enum(['recall', 'close']), note: z.string().trim().max(500).optional() })
      .strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: MANAGERS
  },
  'qa.operatorStats': {
    summary: 'Per operator over a period: recorded calls, the metrics’ averages, reviews, average score and pass rate.',
    input: z.object({ from: isoTime, to: isoTime }).strict(),
    output: z.array(
      z.object({
        operatorId: idSchema,
        operatorName: z.string(),
        calls: z.number().int(),
        talkOverShare: z.number(),
        silenceShare: z.number(),
        operatorTalkShare: z.number(),
        longestMonologueMs: z.number(),
        reviews: z.number().int(),
        passRate: z.number().nullable(),
        averageScore: z.number().nullable()
      })
    ),
    roles: QA_ROLES
  }
})

export { VERDICTS, QA_STATES, LIBRARY_SORTS, RULE_METRICS }
