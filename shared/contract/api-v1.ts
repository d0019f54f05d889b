import { z } from 'zod'
import { defineMethods } from './define'
import { idSchema, isoTime, okOutput } from './common'
import { API_SCOPES, DNC_CHANNELS, DNC_SOURCES, WEBHOOK_EVENTS } from './enums'
import { leadSummarySchema } from './leads'
import { dispatchSchema, followUpSchema, policySchema } from './dispatch'

export { API_SCOPES, WEBHOOK_EVENTS }
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/**
 * The integration API (/api/v1) for outside systems: the insurers' CRMs and the list suppliers. Its
 * routes are declared here once (method, path, scope, body, answer), served by electron/server/rest.ts
 * and described by the OpenAPI document generated from the same schemas.
 */
export type ApiScope = (typeof API_SCOPES)[number]

export const apiKeySchema = z.object({
  id: idSchema,
  name: z.string(),
  /** The key's public part (ll_<prefix>_…): how it is told apart in lists and logs. */
  prefix: z.string(),
  scopes: z.array(z.enum(API_SCOPES)),
  campaignId: idSchema.nullable(),
  expiresAt: isoTime.nullable(),
  createdAt: isoTime,
  lastUsedAt: isoTime.nullable(),
  revokedAt: isoTime.nullable()
})
export type ApiKey = z.infer<typeof apiKeySchema>

export const apiKeyCreateInput = z
  .object({
    name: z.string().trim().min(1).max(64),
    scopes: z.array(z.enum(API_SCOPES)).min(1),
    campaignId: idSchema.nullable().optional(),
    /** Days it is valid; none: until revoked. */
    days: z.number().int().min(1).max(3650).nullable().optional()
  })
  .strict()

export const webhookInput = z
  .object({
    url: z.string().trim().url().max(500),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
    campaignId: idSchema.nullable().optional()
  })
  .strict()

export const webhookSchema = z.object({
  id: idSchema,
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  campaignId: idSchema.nullable(),
  createdAt: isoTime,
  disabledAt: isoTime.nullable(),
  pending: z.number().int(),
  delivered: z.number().int(),
  dead: z.number().int()
})
export type Webhook = z.infer<typeof webhookSchema>

export const deliverySchema = z.object({
  id: idSchema,
  msgId: z.string(),
  eventType: z.string(),
  leadId: idSchema.nullable(),
  state: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number().int(),
  nextAt: isoTime,
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: isoTime,
  deliveredAt: isoTime.nullable()
})
export type WebhookDelivery = z.infer<typeof deliverySchema>

export const apiKeysMethods = defineMethods({
  'apikeys.list': {
    summary: 'The integration API keys: name, scopes, campaign, expiry, last use, revocation (never the key).',
    input: z.object({}).strict(),
    output: z.array(apiKeySchema),
    roles: ['admin']
  },
  'apikeys.create': {
    write: 'live',
    summary: 'A new API key with its scopes (and a campaign it is held to, an expiry): the key is shown once. Audited.',
    input: apiKeyCreateInput,
    output: z.object({ key: z.string(), apiKey: apiKeySchema }),
    roles: ['admin']
  },
  'webhooks.list': {
    summary: 'The webhook endpoints: URL, events, campaign, state, and their deliveries pending, delivered and dead.',
    input: z.object({}).strict(),
    output: z.array(webhookSchema),
    roles: ['admin']
  },
  'webhooks.register': {
    write: 'live',
    summary:
      'A webhook endpoint (https; http only on this machine) for event types: its signing secret (whsec_…) is shown once. Audited.',
    input: webhookInput,
    output: z.object({ id: idSchema, secret: z.string() }),
    roles: ['admin']
  },
  'webhooks.disable': {
    write: 'resend',
    summary: 'Stop a webhook endpoint: nothing more is queued for it. Audited.',
    input: z.object({ id: idSchema }).strict(),
    output: okOutput,
    roles: ['admin']
  },
  'webhooks.deliveries': {
    summary: 'An endpoint’s delivery log, newest first: event, state, tries, last status and error.',
    input: z.object({ id: idSchema, limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(deliverySchema),
    roles: ['admin']
  },
  'webhooks.resend': {
    write: 'live',
    summary: 'Send a dead delivery again (the receiver is back). Audited.',
    input: z.object({ deliveryId: idSchema }).strict(),
    output: okOutput,
    roles: ['admin']
  },
  'apikeys.revoke': {
    write: 'resend',
    summary: 'Revoke an API key: refused from the next request on. Audited.',
    input: z.object({ id: idSchema }).strict(),
    output: okOutput,
    roles: ['admin']
  }
})

// ——— the REST resources ———

const phone = z.string().trim().min(1).max(32)
export const apiLeadInput = z
  .object({
    phone,
    name: z.string().trim().max(64).optional(),
    gender: z.enum(['M', 'F']).optional(),
    birthDate: z.string().trim().max(10).optional(),
    idNo: z.string().trim().max(18).optional(),
    address: z.string().trim().max(200).optional(),
    employer: z.string().trim().max(100).optional(),
    occupation: z.string().trim().max(100).optional(),
    note: z.string().trim().max(500).optional()
  })
  .strict()

export const apiLeadsPost = z.object({ leads: z.array(apiLeadInput).min(1).max(5000) }).strict()

export const apiLeadResult = z.object({
  /** 1-based, in the order posted. */
  row: z.number().int(),
  status: z.enum(['created', 'duplicate', 'invalid', 'dnc']),
  leadId: idSchema.optional(),
  /** Why, in the caller's language (Accept-Language: zh-CN by default). */
  reason: z.string().optional()
})
export const apiLeadsAnswer = z.object({ batchId: idSchema.nullable(), results: z.array(apiLeadResult) })

/** The lead as the app's lead list shows it (the same schema), with its campaign and last outcome. */
export const apiLead = leadSummarySchema
  .pick({ id: true, phone: true, name: true, status: true, attempts: true, createdAt: true })
  .extend({
    campaignId: idSchema,
    lastOutcome: z.string().nullable(),
    lastCallAt: isoTime.nullable()
  })

export const apiCampaign = z.object({ id: idSchema, name: z.string(), active: z.boolean() })

export const apiOutcome = z.object({
  id: idSchema,
  leadId: idSchema,
  callId: idSchema.nullable(),
  campaignId: idSchema,
  disposition: z.string(),
  label: z.string(),
  success: z.boolean(),
  visitAt: isoTime.nullable(),
  at: isoTime
})

export const apiDncPost = z
  .object({
    phone,
    source: z.enum(DNC_SOURCES),
    channel: z.enum(DNC_CHANNELS).default('all'),
    reason: z.string().trim().min(1).max(200),
    /** Days it lasts; none: for good. */
    days: z.number().int().min(1).max(3650).nullable().optional()
  })
  .strict()

const cursorQuery = z.object({
  cursor: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100)
})
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Pass as `cursor` for the next page; when nothing more is there now, the same cursor (ask again later). */
    nextCursor: z.string().nullable()
  })

export const apiCall = z.object({
  id: idSchema,
  leadId: idSchema.nullable(),
  campaignId: idSchema.nullable(),
  direction: z.enum(['outbound', 'inbound']),
  startedAt: isoTime,
  answeredAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
  talkSec: z.number().int(),
  /** The centre's number the customer saw (外显), or dialled back. */
  shownNumber: z.string().nullable()
})

/** A visit as the app's dispatch board has it (the same fields), with the policy signed at it. */
export const apiDispatch = dispatchSchema
  .pick({ id: true, leadId: true, districtCode: true, visitAt: true, state: true, agentName: true, createdAt: true })
  .extend({
    campaignId: idSchema,
    assignedAt: isoTime.nullable(),
    reportedAt: isoTime.nullable(),
    policy: policySchema
      .pick({ policyNo: true, product: true, premium: true, sumInsured: true, termYears: true })
      .extend({
        receivedOn: z.string().nullable(),
        insurerPolicyNo: z.string().nullable(),
        insurerStatus: z.string().nullable()
      })
      .nullable()
  })

/** A 回访 as the app's follow-up list has it (the same fields). */
export const apiFollowUp = followUpSchema.pick({
  id: true,
  leadId: true,
  dispatchId: true,
  kind: true,
  state: true,
  result: true,
  complaint: true,
  dueAt: true,
  doneAt: true
})

export const apiPolicyPost = z
  .object({
    policyNo: z.string().trim().min(1).max(64),
    status: z.enum(['issued', 'in_force', 'cancelled', 'lapsed', 'surrendered'])
  })
  .strict()

/** RFC 9457 problem details: what every error answers. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string()
})

export interface ApiRoute {
  method: 'GET' | 'POST'
  path: string
  scope: ApiScope | null
  summary: string
  body?: z.ZodType
  query?: z.ZodObject
  answer: z.ZodType
  /** The status of a successful answer. */
  status?: number
}

export const API_ROUTES = {
  campaigns: {
    method: 'GET',
    path: '/campaigns',
    scope: 'campaigns:read',
    summary: 'The campaigns (held to the key’s campaign when it has one).',
    answer: z.object({ items: z.array(apiCampaign) })
  },
  postLeads: {
    method: 'POST',
    path: '/campaigns/{id}/leads',
    scope: 'leads:write',
    summary:
      'Leads into a campaign, with the rules of a file import (number checks, duplicates, the do-not-call list): each row answered created, duplicate, invalid or dnc, in one transaction. Up to 5,000 per call; send an Idempotency-Key.',
    body: apiLeadsPost,
    answer: apiLeadsAnswer,
    status: 201
  },
  lead: {
    method: 'GET',
    path: '/leads/{id}',
    scope: 'leads:read',
    summary: 'A lead’s status, attempts and last outcome; the number masked unless the key has pii:read.',
    answer: apiLead
  },
  outcomes: {
    method: 'GET',
    path: '/outcomes',
    scope: 'events:read',
    summary: 'Outcomes of real calls saved since a cursor, oldest first (training calls never).',
    query: cursorQuery,
    answer: pageOf(apiOutcome)
  },
  calls: {
    method: 'GET',
    path: '/calls',
    scope: 'events:read',
    summary:
      'Calls on the real line since a cursor, oldest first (training calls never), with the number the customer saw.',
    query: cursorQuery,
    answer: pageOf(apiCall)
  },
  dispatches: {
    method: 'GET',
    path: '/dispatches',
    scope: 'events:read',
    summary:
      'Successes sent to the field (visits) since a cursor: visit time, state, agent, and the policy when signed.',
    query: cursorQuery,
    answer: pageOf(apiDispatch)
  },
  dispatch: {
    method: 'GET',
    path: '/dispatches/{id}',
    scope: 'events:read',
    summary: 'One visit’s state now.',
    answer: apiDispatch
  },
  followUps: {
    method: 'GET',
    path: '/followups',
    scope: 'events:read',
    summary: '回访 (follow-up calls) since a cursor: kind, state, result and complaint category.',
    query: cursorQuery,
    answer: pageOf(apiFollowUp)
  },
  postPolicy: {
    method: 'POST',
    path: '/leads/{id}/policy',
    scope: 'policies:write',
    summary:
      'The insurer’s policy number and status on a signed sale (the lead’s visit reported signed); on the lead’s history.',
    body: apiPolicyPost,
    answer: z.object({ dispatchId: idSchema, policyNo: z.string(), status: z.string(), updatedAt: isoTime })
  },
  postDnc: {
    method: 'POST',
    path: '/dnc',
    scope: 'dnc:write',
    summary: 'A number on the do-not-call list (all campaigns), with its source, channel and reason.',
    body: apiDncPost,
    answer: z.object({ phone: z.string(), expiresAt: isoTime.nullable() }),
    status: 201
  },
  postWebhooks: {
    method: 'POST',
    path: '/webhooks',
    scope: 'webhooks:write',
    summary:
      'A webhook endpoint (https) for event types: outcome.saved, lead.success, visit.reported, policy.signed, followup.done, complaint.opened. Answers the signing secret (whsec_…) once. Deliveries are at least once, in order per lead, retried for 24 h, signed with the Standard Webhooks scheme (webhook-id, webhook-timestamp, webhook-signature).',
    body: webhookInput.omit({ campaignId: true }),
    answer: z.object({ id: idSchema, secret: z.string() }),
    status: 201
  }
} as const satisfies Record<string, ApiRoute>
export type ApiRouteName = keyof typeof API_ROUTES
