import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { idSchema, isoTime, okOutput } from './common'

export const SMS_KINDS = ['visit_booked', 'visit_changed'] as const
export const SMS_TEMPLATE_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const

export const smsTemplateSchema = z.object({
  kind: z.enum(SMS_KINDS),
  /** The centre's signature as the provider registered it: 【线索通】. */
  signature: z.string(),
  /** The text with {客户} {时间} {业务员}. */
  body: z.string(),
  /** 报备 with the provider: only an approved template is sent. */
  status: z.enum(SMS_TEMPLATE_STATUSES),
  providerCode: z.string().nullable(),
  /** A sample as the customer reads it, its length and how many SMS parts it takes. */
  sample: z.string(),
  length: z.number().int(),
  parts: z.number().int(),
  updatedAt: isoTime
})
export type SmsTemplate = z.infer<typeof smsTemplateSchema>

export const smsMessageSchema = z.object({
  id: idSchema,
  leadId: idSchema.nullable(),
  kind: z.string(),
  /** Masked as the reader's role sees numbers. */
  phone: z.string(),
  body: z.string(),
  state: z.enum(['queued', 'sent', 'delivered', 'failed', 'blocked']),
  attempts: z.number().int(),
  nextAt: isoTime.nullable(),
  error: z.string().nullable(),
  createdAt: isoTime,
  sentAt: isoTime.nullable(),
  deliveredAt: isoTime.nullable()
})
export type SmsMessage = z.infer<typeof smsMessageSchema>

const gatewayView = z.object({
  enabled: z.boolean(),
  sendUrl: z.string(),
  username: z.string(),
  sender: z.string(),
  callbackBase: z.string(),
  /** Where the gateway passes replies (退订): the hub's path with the gateway's key. */
  moPath: z.string().nullable(),
  passwordSet: z.boolean()
})

export const smsMethods = defineMethods({
  'sms.templates': {
    summary: 'The message templates (visit booked, visit moved) with a sample, its length and SMS parts.',
    input: z.object({}).strict(),
    output: z.array(smsTemplateSchema),
    roles: ['admin']
  },
  'sms.saveTemplate': {
    write: 'resend',
    summary:
      'Change a template: the signature 【…】, the text (only {客户} {时间} {业务员}; at most 5 SMS parts filled in), its approval status with the provider. Audited.',
    input: z
      .object({
        kind: z.enum(SMS_KINDS),
        signature: z.string().trim().min(1).max(20),
        body: z.string().trim().min(4).max(400),
        status: z.enum(SMS_TEMPLATE_STATUSES),
        providerCode: z.string().trim().max(64).nullable().optional()
      })
      .strict(),
    output: okOutput,
    roles: ['admin']
  },
  'sms.gateway': {
    summary:
      'The SMS gateway (Kannel smsbox): its address, account, sender number, and how it reaches the hub — never the password.',
    input: z.object({}).strict(),
    output: gatewayView,
    roles: ['admin']
  },
  'sms.setGateway': {
    write: 'live',
    summary: 'Set the SMS gateway; the password is sealed (leave it out to keep the one set). Audited.',
    input: z
      .object({
        enabled: z.boolean(),
        sendUrl: z.string().trim().url().max(300),
        username: z.string().trim().min(1).max(64),
        password: z.string().min(1).max(128).optional(),
        sender: z
          .string()
          .trim()
          .regex(/^\d{3,20}$/),
        callbackBase: z.string().trim().url().max(300)
      })
      .strict(),
    output: gatewayView,
    roles: ['admin']
  },
  'sms.messages': {
    summary:
      'The messages sent to customers, newest first: state (queued, sent, delivered, failed, blocked by 退订), tries and errors.',
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({ rows: z.array(smsMessageSchema), queued: z.number().int(), failed: z.number().int() }),
    roles: MANAGERS
  },
  'sms.retry': {
    write: 'live',
    summary: 'Send a failed message again. Audited.',
    input: z.object({ id: idSchema }).strict(),
    output: okOutput,
    roles: ['admin']
  }
})
