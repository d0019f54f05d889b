import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { idSchema, isoTime, okOutput } from './common'

export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

/** 公海/私海 rules, per campaign (defaults follow what Chinese sales teams commonly set). */
export const poolRulesSchema = z.object({
  /** How many leads one operator may hold in their private pool. */
  maxHeld: z.number().int().min(1).max(100_000),
  /** How many leads an operator may claim from the public pool per day. */
  dailyClaimCap: z.number().int().min(0).max(10_000),
  /** Back to the public pool after this many days without a follow-up … */
  recallNoFollowUpDays: z.number().int().min(1).max(365),
  /** … or this many days without progress. */
  recallNoProgressDays: z.number().int().min(1).max(3650),
  /** The holder is warned this many days before a recall. */
  warnDaysBefore: z.number().int().min(0).max(30),
  /** Days before the previous holder may claim a recalled lead again. */
  cooldownDays: z.number().int().min(0).max(365),
  /** Operators may claim from the public pool at all. */
  allowPublicClaim: z.boolean()
})
export type PoolRules = z.infer<typeof poolRulesSchema>

export const allocationPlanSchema = z.object({
  day,
  perOperator: z.number().int(),
  available: z.number().int(),
  operators: z.array(
    z.object({
      operatorId: idSchema,
      name: z.string(),
      already: z.number().int(),
      adding: z.number().int(),
      bySource: z.record(z.string(), z.number().int())
    })
  ),
  total: z.number().int(),
  shortage: z.number().int()
})
export type AllocationPlan = z.infer<typeof allocationPlanSchema>

export const allocationInput = z
  .object({
    day,
    perOperator: z.number().int().min(1).max(500).default(30),
    operatorIds: z.array(idSchema).max(1000).optional(),
    campaignId: idSchema.default(1),
    batchIds: z.array(idSchema).max(200).optional()
  })
  .strict()

export const poolMethods = defineMethods({
  'pool.rules': {
    summary: 'The private-pool rules of a campaign.',
    input: z.object({ campaignId: idSchema.default(1) }).strict(),
    output: poolRulesSchema,
    roles: ['supervisor', 'admin', 'operator']
  },
  'pool.setRules': {
    write: 'resend',
    summary: 'Change the private-pool rules of a campaign.',
    input: z.object({ campaignId: idSchema.default(1), rules: poolRulesSchema.partial().strict() }).strict(),
    output: poolRulesSchema,
    roles: MANAGERS
  },
  'pool.claim': {
    write: 'live',
    summary: 'An operator takes a lead from the public pool into their private pool.',
    input: z.object({ leadId: idSchema }).strict(),
    output: okOutput,
    roles: ['operator']
  },
  'pool.release': {
    write: 'live',
    summary: 'An operator gives a lead back to the public pool.',
    input: z.object({ leadId: idSchema }).strict(),
    output: okOutput,
    roles: ['operator']
  },
  'pool.myWarnings': {
    summary: 'My leads that go back to the public pool soon, and when.',
    input: z.object({}).strict(),
    output: z.array(
      z.object({
        leadId: idSchema,
        name: z.string().nullable(),
        recallAt: isoTime,
        reason: z.enum(['noFollowUp', 'noProgress'])
      })
    ),
    roles: ['operator']
  },
  'pool.recallNow': {
    write: 'live',
    summary: 'Run the recall of overdue private-pool leads now (it also runs by itself every hour).',
    input: z.object({}).strict(),
    output: z.object({ recalled: z.number().int() }),
    roles: MANAGERS
  },
  'pool.handover': {
    write: 'resend',
    summary: 'Hand all leads of an operator who leaves or moves to another operator, or back to the pool, in one step.',
    input: z
      .object({ fromUserId: idSchema, toUserId: idSchema.nullable(), reason: z.string().trim().min(1).max(200) })
      .strict(),
    output: z.object({ leads: z.number().int(), allocations: z.number().int() }),
    roles: MANAGERS
  }
})
