import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { idSchema, isoTime, okOutput } from './common'
import { encodingSchema, phoneQuery, uploadId } from './leads'

import { DNC_CHANNELS, DNC_SCOPES, DNC_SOURCES } from './enums'

export type DncSource = (typeof DNC_SOURCES)[number]
export type DncScope = (typeof DNC_SCOPES)[number]
export type DncChannel = (typeof DNC_CHANNELS)[number]

export const dncEntrySchema = z.object({
  id: idSchema,
  /** Masked unless the reader's role sees numbers. */
  phone: z.string(),
  source: z.enum(DNC_SOURCES),
  scope: z.enum(DNC_SCOPES),
  /** The insurer's name or the campaign's id ('' for all campaigns). */
  scopeRef: z.string(),
  channel: z.enum(DNC_CHANNELS),
  reason: z.string(),
  effectiveAt: isoTime,
  expiresAt: isoTime.nullable(),
  addedAt: isoTime,
  addedBy: z.string().nullable(),
  complaintId: idSchema.nullable(),
  listName: z.string().nullable(),
  removedAt: isoTime.nullable(),
  removedBy: z.string().nullable(),
  removedReason: z.string().nullable()
})
export type DncEntry = z.infer<typeof dncEntrySchema>

/** Where a new entry applies; scopeRef names the insurer or the campaign's id. */
const whereInput = {
  scope: z.enum(DNC_SCOPES).default('all'),
  scopeRef: z.string().trim().max(64).default(''),
  channel: z.enum(DNC_CHANNELS).default('all')
}
/** How long: days from the effective date; omitted, the source's default (a refusal 180 days, the rest for good); null for good. */
const lasting = {
  effectiveOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  days: z.number().int().min(1).max(3650).nullable().optional()
}

export const dncMethods = defineMethods({
  'dnc.list': {
    summary:
      'The do-not-call list: its entries newest first, with source, scope, channel, dates and who; removed ones on request.',
    input: z
      .object({
        q: phoneQuery.optional(),
        limit: z.number().int().min(1).max(500).default(100),
        withRemoved: z.boolean().default(false)
      })
      .strict(),
    output: z.array(dncEntrySchema),
    roles: MANAGERS
  },
  'dnc.add': {
    write: 'resend',
    summary:
      'Put a number on the do-not-call list with its source, scope, channel, effective date and length; the leads it stops are parked at once. Audited.',
    input: z
      .object({
        phone: phoneQuery,
        source: z.enum(DNC_SOURCES).default('customer_request'),
        reason: z.string().trim().min(1).max(200),
        ...whereInput,
        ...lasting
      })
      .strict(),
    output: z.object({ phone: z.string(), expiresAt: isoTime.nullable() }),
    roles: MANAGERS
  },
  'dnc.import': {
    write: 'live',
    summary:
      'Put every number of an uploaded list (CSV/XLSX, millions of rows) on the do-not-call list with one source, scope and length; all or nothing. Audited.',
    input: z
      .object({
        uploadId,
        source: z.enum(DNC_SOURCES).default('external_list'),
        reason: z.string().trim().min(1).max(200),
        ...whereInput,
        ...lasting,
        encoding: encodingSchema.optional(),
        sheet: z.string().max(64).optional()
      })
      .strict(),
    output: z.object({
      rows: z.number().int(),
      added: z.number().int(),
      invalid: z.number().int(),
      leadsStopped: z.number().int()
    }),
    roles: MANAGERS
  },
  'dnc.remove': {
    write: 'resend',
    summary:
      'Take a number off the do-not-call list (its entries of one scope and channel, or all), with a reason; the entries are kept with who took them off. Administrators only, audited.',
    input: z
      .object({
        phone: phoneQuery,
        reason: z.string().trim().min(2).max(200),
        scope: z.enum(DNC_SCOPES).optional(),
        scopeRef: z.string().trim().max(64).optional(),
        channel: z.enum(DNC_CHANNELS).optional()
      })
      .strict(),
    output: okOutput,
    roles: ['admin']
  },
  'dnc.check': {
    summary: 'Whether a number may be called (or sent an SMS) in a campaign now, and if not, which entry stops it.',
    input: z
      .object({ phone: phoneQuery, campaignId: idSchema.optional(), channel: z.enum(['call', 'sms']).default('call') })
      .strict(),
    output: z.object({ blocked: z.boolean(), entry: dncEntrySchema.nullable() }),
    roles: MANAGERS
  },
  'dnc.export': {
    summary: 'The live do-not-call list as a CSV (number, source, scope, channel, dates) for another centre. Audited.',
    input: z.object({}).strict(),
    output: z.object({ token: z.string(), fileName: z.string(), rows: z.number().int() }),
    roles: MANAGERS
  }
})
