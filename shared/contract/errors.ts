import { z } from 'zod'

/** The closed list of error codes that cross a transport boundary. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNKNOWN_METHOD',
  'LOCKED',
  'DB_TOO_NEW',
  'UNAVAILABLE',
  'INTERNAL'
] as const
export const errorCodeSchema = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof errorCodeSchema>

export const appErrorSchema = z.object({
  code: errorCodeSchema,
  /** Ready to show, in the caller's language. */
  message: z.string(),
  /** i18n key and parameters, so a client can render the message in its own language. */
  key: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** For INVALID_INPUT: which fields were wrong. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional()
})
export type AppErrorShape = z.infer<typeof appErrorSchema>

/**
 * A call's answer. A `'resend'` write sent with a client id also says `at`, the hub's time once it
 * was saved (the seat keeps it until `replication.confirmed` passes that time), and `replayed` when
 * that id had been applied already (nothing was done again; no value).
 */
export type Result<T> = { ok: true; value: T; at?: string; replayed?: true } | { ok: false; error: AppErrorShape }
