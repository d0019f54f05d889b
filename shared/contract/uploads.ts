import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { uploadId } from './leads'

export const uploadsMethods = defineMethods({
  'uploads.begin': {
    write: 'live',
    summary: 'Start sending a file (a lead list) in chunks.',
    input: z
      .object({
        name: z.string().min(1).max(255),
        size: z
          .number()
          .int()
          .min(1)
          // core refuses a list past its limit in words (uploads.ts)
          .max(64 * 1024 * 1024 * 1024)
      })
      .strict(),
    output: z.object({ uploadId: z.string(), chunkSize: z.number().int() }),
    roles: MANAGERS
  },
  'uploads.chunk': {
    write: 'live',
    summary: 'One chunk of an upload, base64, at its byte offset.',
    input: z.object({ uploadId, offset: z.number().int().min(0), data: z.string().max(2_000_000) }).strict(),
    output: z.object({ received: z.number().int(), complete: z.boolean() }),
    roles: MANAGERS
  }
})
