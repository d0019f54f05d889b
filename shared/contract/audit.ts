import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { idSchema, isoTime } from './common'

export const auditEntrySchema = z.object({
  id: idSchema,
  at: isoTime,
  userId: idSchema.nullable(),
  username: z.string().nullable(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  /** The user's, campaign's or team's name as it is now (null: the entry is about something without one). */
  entityName: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  source: z.string()
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

export const auditMethods = defineMethods({
  'audit.list': {
    summary: 'The audit log, newest first.',
    input: z
      .object({
        action: z.string().max(64).optional(),
        userId: idSchema.optional(),
        beforeId: idSchema.optional(),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    output: z.array(auditEntrySchema),
    roles: MANAGERS
  }
})
