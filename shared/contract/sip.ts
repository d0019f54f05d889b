import { z } from 'zod'
import { defineMethods } from './define'
import { idSchema, isoTime, okOutput } from './common'

const urls = z.union([z.string().max(256), z.array(z.string().max(256)).max(8)])
/** An ICE server as the administrator enters it: a TURN credential is write-only (omitted: the stored one is kept). */
const iceServerInput = z
  .object({ urls, username: z.string().max(128).optional(), credential: z.string().max(256).optional() })
  .strict()
/** As anyone but its operator sees it: whether a credential is set, never the credential. */
const iceServerShown = z
  .object({ urls, username: z.string().max(128).optional(), hasCredential: z.boolean().optional() })
  .strict()

const accountFields = {
  userId: idSchema,
  wsUrl: z
    .string()
    .regex(/^wss?:\/\/[^\s]+$/)
    .max(256),
  domain: z.string().min(1).max(128),
  sipUser: z.string().min(1).max(64),
  displayName: z.string().max(64),
  outsidePrefix: z.string().regex(/^[0-9*#]{0,4}$/)
}

export const sipAccountSchema = z.object({
  ...accountFields,
  iceServers: z.array(iceServerShown).max(8),
  updatedAt: isoTime
})
export type SipAccount = z.infer<typeof sipAccountSchema>

/** What a test registration found (errors.sipTest.* says it in words). */
export const SIP_TEST_VERDICTS = [
  'registered',
  'realmNotDomain',
  'wrongCredentials',
  'unknownDomain',
  'noAnswer',
  'tlsUntrusted',
  'failed'
] as const

export const sipMethods = defineMethods({
  'sip.myAccount': {
    summary:
      'My SIP account with its digest key (HA1 = MD5(extension:SIP domain:password), the realm being the SIP domain) and TURN credentials, for the softphone to register; the password itself never leaves core (null: no account; use the simulated line).',
    input: z.object({}).strict(),
    output: sipAccountSchema
      .extend({
        iceServers: z.array(z.object({ urls, username: z.string().optional(), credential: z.string().optional() })),
        ha1: z.string().regex(/^[0-9a-f]{32}$/),
        localAreaCode: z.string()
      })
      .nullable(),
    roles: ['operator']
  },
  'sip.pbxLink': {
    summary:
      'How the PBX resolves the desks’ dial tokens and routes customers’ return calls: the hub’s paths and the centre’s PBX key (made on first use; rotate makes a new one and the old one stops at once). Audited.',
    input: z.object({ rotate: z.boolean().default(false) }).strict(),
    output: z.object({
      path: z.string(),
      /** Where the PBX asks whom a customer's call to one of the centre's numbers rings (回拨路由). */
      inboundPath: z.string(),
      key: z.string(),
      pbxDialsByToken: z.boolean()
    }),
    roles: ['admin']
  },
  'sip.accounts': {
    summary: 'The SIP lines of all users (without passwords or TURN credentials).',
    input: z.object({}).strict(),
    output: z.array(sipAccountSchema.extend({ username: z.string() })),
    roles: ['admin']
  },
  'sip.setAccount': {
    write: 'live',
    summary:
      'Give a user a SIP line; the password and TURN credentials are sealed at rest (omit them to keep the current ones).',
    input: z
      .object({
        ...accountFields,
        iceServers: z.array(iceServerInput).max(8),
        password: z.string().min(1).max(128).optional()
      })
      .strict(),
    output: sipAccountSchema,
    roles: ['admin']
  },
  'sip.removeAccount': {
    write: 'live',
    summary: 'Take a user’s SIP line away.',
    input: z.object({ userId: idSchema }).strict(),
    output: okOutput,
    roles: ['admin']
  },
  'sip.testRegister': {
    summary:
      'Register once with a line (a saved one, or the form’s values before saving) from the hub, and say what happened in words; the registration is taken back at once.',
    input: z
      .object({
        userId: idSchema.optional(),
        wsUrl: accountFields.wsUrl.optional(),
        domain: accountFields.domain.optional(),
        sipUser: accountFields.sipUser.optional(),
        displayName: accountFields.displayName.optional(),
        password: z.string().min(1).max(128).optional()
      })
      .strict(),
    output: z.object({ verdict: z.enum(SIP_TEST_VERDICTS), status: z.number().int().nullable(), text: z.string() }),
    roles: ['admin']
  },
  'sip.importLines': {
    write: 'live',
    summary:
      'Lines for a whole floor from a CSV/XLSX upload (工号 or user name, extension, password; display name optional), with the server settings given once. All or nothing; every refused row with its reason.',
    input: z
      .object({
        uploadId: z.string().min(1).max(64),
        wsUrl: accountFields.wsUrl,
        domain: accountFields.domain,
        outsidePrefix: accountFields.outsidePrefix,
        iceServers: z.array(iceServerInput).max(8),
        dryRun: z.boolean().default(false)
      })
      .strict(),
    output: z.object({
      rows: z.number().int(),
      set: z.number().int(),
      errors: z.array(z.object({ row: z.number().int(), reason: z.string() }))
    }),
    roles: ['admin']
  }
})
