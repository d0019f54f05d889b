import { z } from 'zod'
import { defineMethods } from './define'
import { ALL_ROLES } from './roles'

export const downloadsMethods = defineMethods({
  'downloads.read': {
    summary: 'The bytes of an offered download (for the desktop, which has no HTTP), base64.',
    input: z.object({ token: z.string().max(64) }).strict(),
    output: z.object({ fileName: z.string(), contentType: z.string(), data: z.string() }),
    roles: ALL_ROLES
  }
})
