import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { idSchema } from './common'
import { COMPLAINT_CATEGORIES, SEVEN_POINTS, followUpSchema, range } from './dispatch'

export const followUpsMethods = defineMethods({
  'followUps.list': {
    summary: 'Follow-up calls (回访): open ones by due time (overdue flagged), or done ones of a period.',
    input: z
      .object({ state: z.enum(['open', 'done']).default('open'), limit: z.number().int().min(1).max(500).default(200) })
      .strict(),
    output: z.array(followUpSchema),
    roles: ['operator', 'supervisor', 'admin']
  },
  'followUps.dial': {
    write: 'live',
    summary:
      'Call the customer of a follow-up: the call is registered and the softphone gets the number (legal hours apply).',
    input: z.object({ followUpId: idSchema, line: z.enum(['sip', 'simulated']) }).strict(),
    output: z.object({
      callId: idSchema,
      dial: z.string().nullable(),
      recordingNotice: z.boolean(),
      /** The caller number the softphone asks the PBX to show (E.164, 外显); null: the PBX's own. */
      callerId: z.string().nullable()
    }),
    roles: ['operator']
  },
  'followUps.complete': {
    board: true,
    write: 'resend',
    summary:
      'The follow-up’s result, by someone other than the seller: satisfied or a complaint with its category on an answered, recorded call of this follow-up (the seven-point check for a cooling-off follow-up, each point answered); unreachable only after the set attempts on the set number of days, with the second channel (SMS or letter) that told the customer.',
    input: z
      .object({
        followUpId: idSchema,
        callId: idSchema.optional(),
        result: z.enum(['satisfied', 'complaint', 'unreachable']),
        complaint: z.enum(COMPLAINT_CATEGORIES).optional(),
        checks: z.partialRecord(z.enum(SEVEN_POINTS), z.enum(['yes', 'no'])).optional(),
        notes: z.string().trim().max(1000).optional(),
        /** Unreachable: the second channel that told the customer (required then). */
        secondChannel: z.enum(['sms', 'letter']).optional(),
        secondChannelNote: z.string().trim().max(200).optional(),
        /** 犹豫期退保: the customer, reached, asks to cancel the policy in the cooling-off period. */
        cancellation: z.boolean().optional()
      })
      .strict(),
    output: followUpSchema,
    roles: ['operator']
  },
  'followUps.report': {
    summary:
      'Follow-up results per agent and district over a period: done, done in time, reached, problems found (complaints by category), unreachable, cancellations in the cooling-off period.',
    input: range,
    output: z.array(
      z.object({
        agent: z.string(),
        district: z.string(),
        done: z.number().int(),
        inTime: z.number().int(),
        reached: z.number().int(),
        satisfied: z.number().int(),
        complaints: z.record(z.string(), z.number().int()),
        problems: z.number().int(),
        unreachable: z.number().int(),
        cancellations: z.number().int()
      })
    ),
    roles: MANAGERS
  }
})
