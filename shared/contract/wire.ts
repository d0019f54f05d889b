import { z } from 'zod'
import { appErrorSchema } from './errors'

/** A write's id, made by the client (a UUID). */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/)

/** Frames on the hub's WebSocket. Requests carry an id the response echoes. */
export const wsRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  input: z.unknown(),
  locale: z.enum(['zh-CN', 'en']).optional(),
  /** The write's client id (a `'resend'` write is applied once per id). */
  cid: clientIdSchema.optional(),
  /** Sent again from the seat's journal after a break. */
  resent: z.boolean().optional()
})
export type WsRequest = z.infer<typeof wsRequestSchema>

export const wsServerFrameSchema = z.union([
  z.object({
    id: z.number().int(),
    ok: z.literal(true),
    value: z.unknown(),
    at: z.string().optional(),
    replayed: z.literal(true).optional()
  }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: appErrorSchema }),
  z.object({ event: z.string(), payload: z.unknown() })
])
export type WsServerFrame = z.infer<typeof wsServerFrameSchema>
