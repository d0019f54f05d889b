import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { idSchema, okOutput } from './common'
import { phoneQuery, uploadId } from './leads'
import { PICK_REASONS } from './enums'

export type PickReason = (typeof PICK_REASONS)[number]

/** A number's health over a period: real calls shown, answered, answer rate, mean talk, refusals and complaints on them. */
export const numberHealthSchema = z.object({
  calls: z.number().int(),
  answered: z.number().int(),
  answerRate: z.number().nullable(),
  avgTalkSec: z.number().int().nullable(),
  refusals: z.number().int(),
  complaints: z.number().int()
})

export const callerNumberSchema = z.object({
  id: idSchema,
  /** Digits as dialled in China (07715123456) and as the PBX sends it (+867715123456). */
  number: z.string(),
  e164: z.string(),
  /** The carrier the file gave, and the one the numbering data knows (mobiles): a mismatch is shown. */
  carrier: z.string(),
  dataCarrier: z.string().nullable(),
  /** 归属地 from the numbering data. */
  region: z.string(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  line: z.string(),
  /** The campaigns it may serve; empty: all. */
  campaigns: z.array(idSchema),
  status: z.enum(['active', 'suspended']),
  statusReason: z.string().nullable(),
  dailyCap: z.number().int(),
  callsToday: z.number().int(),
  /** Its health today: real calls, answered, answer rate, mean talk, refusals and complaints on its calls. */
  today: numberHealthSchema
})
export type CallerNumber = z.infer<typeof callerNumberSchema>

export const callerIdMethods = defineMethods({
  'numbers.list': {
    summary:
      'The caller-ID pool (外显号码池): every number with its carrier, 归属地, line, campaigns, status, cap and calls today.',
    input: z.object({}).strict(),
    output: z.array(callerNumberSchema),
    roles: MANAGERS
  },
  'numbers.import': {
    write: 'live',
    summary:
      'Numbers the centre owns from an uploaded CSV/XLSX (号码, 运营商, 线路, 活动, 状态 or number, carrier, line, campaign, status): all or nothing, each line checked (service numbers such as 95xxx and 400/800 refused as caller ID). Audited.',
    input: z.object({ uploadId }).strict(),
    output: z.object({
      rows: z.number().int(),
      added: z.number().int(),
      updated: z.number().int(),
      mismatches: z.number().int()
    }),
    roles: ['admin']
  },
  'numbers.setStatus': {
    write: 'resend',
    summary:
      'Take a number out of use (suspended, with a reason: marked as 骚扰 by phone apps, a complaint …) or back in. Audited.',
    input: z
      .object({ id: idSchema, status: z.enum(['active', 'suspended']), reason: z.string().trim().max(200).optional() })
      .strict(),
    output: okOutput,
    roles: MANAGERS
  },
  'numbers.health': {
    summary:
      'One number’s health per day over the last days (today last): calls shown, answered, answer rate, mean talk, refusals and complaints on its calls.',
    input: z.object({ id: idSchema, days: z.number().int().min(1).max(31).default(7) }).strict(),
    output: z.array(numberHealthSchema.extend({ day: z.string() })),
    roles: MANAGERS
  },
  'numbers.pick': {
    write: 'live',
    summary:
      'Which number a call to this customer in this campaign would show now, and why (same customer today, same city, same province, any; none), without using it up.',
    input: z.object({ phone: phoneQuery, campaignId: idSchema.default(1) }).strict(),
    output: z.object({ number: z.string().nullable(), e164: z.string().nullable(), reason: z.enum(PICK_REASONS) }),
    roles: MANAGERS
  }
})
