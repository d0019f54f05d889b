import { z } from 'zod'
import { defineMethods } from './define'
import { smtpSchema } from './dispatch'

export const smtpMethods = defineMethods({
  'smtp.get': {
    summary: 'The e-mail (SMTP) settings for the success package; the password is never returned.',
    input: z.object({}).strict(),
    output: smtpSchema.extend({ hasPassword: z.boolean() }),
    roles: ['admin']
  },
  'smtp.set': {
    write: 'live',
    summary: 'Change the e-mail settings; an empty password keeps the stored one. Sealed at rest.',
    input: smtpSchema.extend({ password: z.string().max(255).optional() }).strict(),
    output: smtpSchema.extend({ hasPassword: z.boolean() }),
    roles: ['admin']
  }
})
