import { z } from 'zod'
import { LOCALES } from './enums'
import { roleSchema } from './roles'

export const idSchema = z.number().int().positive()
export const emptyInput = z.object({}).strict()
export const okOutput = z.object({ ok: z.literal(true) })
/** ISO-8601 instant in UTC, as core's clock gives it. */
export const isoTime = z.string()

export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
export const passwordSchema = z.string().min(8).max(128)
export const localeSchema = z.enum(LOCALES)
export type Locale = z.infer<typeof localeSchema>

export const userSchema = z.object({
  id: idSchema,
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  staffNo: z.string().nullable(),
  districtCode: z.string().nullable(),
  /** The operator's team (班组); null: none. */
  teamId: idSchema.nullable(),
  disabled: z.boolean(),
  lockedUntil: isoTime.nullable(),
  createdAt: isoTime,
  lastLoginAt: isoTime.nullable()
})
export type User = z.infer<typeof userSchema>
