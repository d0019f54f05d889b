import { z } from 'zod'
import { defineMethods } from './define'
import { idSchema } from './common'

export const callsMethods = defineMethods({
  'calls.start': {
    board: true,
    write: 'live',
    summary:
      'The softphone starts a call that is not a queue lead’s (those are desk.dial’s): one dialled by hand, or an inbound one, whose lead comes from the routing, never from the client. A number typed by hand on the SIP line is checked against the legal hours, the do-not-call list and the per-number caps first.',
    input: z
      .object({
        direction: z.enum(['outbound', 'inbound']),
        line: z.enum(['sip', 'simulated']),
        number: z.string().trim().max(32).optional(),
        /** An inbound call the hub routed to this seat (the PBX's X-LeadLine-Call): answered, it is that call, on its lead. */
        routedCallId: idSchema.optional()
      })
      .strict(),
    output: z.object({
      callId: idSchema,
      /** For a number typed by hand: what the softphone dials (as desk.dial's). */
      dial: z.string().nullable(),
      recordingNotice: z.boolean(),
      /** For an outside number typed by hand: the caller number to show (E.164, 外显); null: the PBX's own. */
      callerId: z.string().nullable()
    }),
    roles: ['operator']
  },
  'calls.end': {
    board: true,
    write: 'live',
    summary: 'The call ended, with the cause the line gave.',
    input: z.object({ callId: idSchema, cause: z.string().max(64), answered: z.boolean() }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ['operator']
  }
})
