import { z } from 'zod'
import { defineMethods } from './define'
import { ALL_ROLES, MANAGERS } from './roles'
import { idSchema } from './common'
import { scriptBodySchema, scriptSchema } from './campaigns'

export const scriptsMethods = defineMethods({
  'scripts.current': {
    summary: 'The current script of a campaign (its latest version).',
    input: z.object({ campaignId: idSchema }).strict(),
    output: scriptSchema.nullable(),
    roles: ALL_ROLES
  },
  'scripts.versions': {
    summary: 'All versions of a campaign’s script, newest first.',
    input: z.object({ campaignId: idSchema }).strict(),
    output: z.array(scriptSchema.omit({ body: true })),
    roles: MANAGERS
  },
  'scripts.publish': {
    write: 'resend',
    summary: 'Publish a new version of a campaign’s script; calls keep the version they started with.',
    input: z.object({ campaignId: idSchema, title: z.string().trim().min(1).max(64), body: scriptBodySchema }).strict(),
    output: scriptSchema,
    roles: MANAGERS
  }
})
