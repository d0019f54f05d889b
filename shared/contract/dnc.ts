import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { isoTime, okOutput } from './common'
import { encodingSchema, phoneQuery, uploadId } from './leads'

export const dncMethods = defineMethods({
  'dnc.list': {
    summary: 'The do-not-call list.',
    input: z.object({ q: phoneQuery.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(
      z.object({
        phone: z.string(),
        reason: z.string(),
        source: z.string(),
        addedAt: isoTime,
        expiresAt: isoTime.nullable(),
        addedBy: z.string().nullable()
      })
    ),
    roles: MANAGERS
  },
  'dnc.add': {
    summary: 'Put a number on the do-not-call list, for a time or for good.',
    input: z
      .object({
        phone: phoneQuery,
        reason: z.string().trim().min(1).max(200),
        months: z.number().int().min(1).max(120).nullable()
      })
      .strict(),
    output: z.object({ phone: z.string(), expiresAt: isoTime.nullable() }),
    roles: MANAGERS
  },
  'dnc.import': {
    summary: 'Put every number of an uploaded list on the do-not-call list (all or nothing).',
    input: z
      .object({
        uploadId,
        reason: z.string().trim().min(1).max(200),
        months: z.number().int().min(1).max(120).nullable(),
        encoding: encodingSchema.optional(),
        sheet: z.string().max(64).optional()
      })
      .strict(),
    output: z.object({ rows: z.number().int(), added: z.number().int(), invalid: z.number().int() }),
    roles: MANAGERS
  },
  'dnc.remove': {
    summary: 'Take a number off the do-not-call list, with a reason.',
    input: z.object({ phone: phoneQuery, reason: z.string().trim().min(1).max(200) }).strict(),
    output: okOutput,
    roles: MANAGERS
  }
})
