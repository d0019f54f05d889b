import { z } from 'zod'
import { defineMethods } from './define'
import { idSchema, isoTime, okOutput } from './common'

const iceServer = z.object({ urls: z.union([z.string().max(256), z.array(z.string().max(256)).max(8)]), username: z.string().max(128).optional(), credential: z.string().max(256).optional() }).strict()

export const sipAccountSchema = z.object({
  userId: idSchema,
  wsUrl: z.string().regex(/^wss?:\/\/[^\s]+$/).max(256),
  domain: z.string().min(1).max(128),
  sipUser: z.string().min(1).max(64),
  displayName: z.string().max(64),
  iceServers: z.array(iceServer).max(8),
  outsidePrefix: z.string().regex(/^[0-9*#]{0,4}$/),
  updatedAt: isoTime
})
export type SipAccount = z.infer<typeof sipAccountSchema>

export const sipMethods = defineMethods({
  'sip.myAccount': {
    summary: 'My SIP account with its password, for the softphone to register (null: no account; use the simulated line).',
    input: z.object({}).strict(),
    output: sipAccountSchema.extend({ password: z.string(), localAreaCode: z.string() }).nullable(),
    roles: ['operator']
  },
  'sip.accounts': {
    summary: 'The SIP accounts of all users (without passwords).',
    input: z.object({}).strict(),
    output: z.array(sipAccountSchema.extend({ username: z.string() })),
    roles: ['admin']
  },
  'sip.setAccount': {
    summary: 'Give a user a SIP account; the password is sealed at rest (omit it to keep the current one).',
    input: sipAccountSchema.omit({ updatedAt: true }).extend({ password: z.string().min(1).max(128).optional() }).strict(),
    output: sipAccountSchema,
    roles: ['admin']
  },
  'sip.removeAccount': {
    summary: 'Take a user’s SIP account away.',
    input: z.object({ userId: idSchema }).strict(),
    output: okOutput,
    roles: ['admin']
  }
})
