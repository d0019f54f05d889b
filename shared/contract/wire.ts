import { z } from 'zod'
import { appErrorSchema } from './errors'

/** Frames on the hub's WebSocket. Requests carry an id the response echoes. */
export const wsRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  input: z.unknown(),
  locale: z.enum(['zh-CN', 'en']).optional()
})
export type WsRequest = z.infer<typeof wsRequestSchema>

export const wsServerFrameSchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: appErrorSchema }),
  z.object({ event: z.string(), payload: z.unknown() })
])
export type WsServerFrame = z.infer<typeof wsServerFrameSchema>
