import { z } from 'zod'
import { defineMethods } from './define'
import { ALL_ROLES } from './roles'
import { emptyInput, isoTime, okOutput, passwordSchema, userSchema, usernameSchema } from './common'

const sessionOutput = z.object({
  token: z.string(),
  expiresAt: isoTime,
  user: userSchema
})
export type SessionInfo = z.infer<typeof sessionOutput>

export const authMethods = defineMethods({
  'auth.login': {
    write: 'live',
    summary: 'Log in with user name and password; the connection is then that user’s.',
    input: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(128) }).strict(),
    output: sessionOutput,
    roles: 'public'
  },
  'auth.resume': {
    write: 'live',
    summary: 'Take up an existing session (after a page reload or a reconnect).',
    input: z.object({ token: z.string().min(16).max(128) }).strict(),
    output: sessionOutput,
    roles: 'public'
  },
  'auth.setupFirstAdmin': {
    write: 'live',
    summary: 'On an empty installation, create the first administrator and log in.',
    input: z
      .object({
        username: usernameSchema,
        displayName: z.string().trim().min(1).max(64),
        password: passwordSchema,
        /** The one-time code a hub on the LAN prints on its console (system.info says when it is needed). */
        setupCode: z.string().trim().max(32).optional()
      })
      .strict(),
    output: sessionOutput,
    roles: 'public'
  },
  'auth.logout': {
    write: 'live',
    summary: 'End this session.',
    input: emptyInput,
    output: okOutput,
    roles: ALL_ROLES
  },
  'auth.me': {
    summary: 'The logged-in user.',
    input: emptyInput,
    output: userSchema,
    roles: ALL_ROLES
  },
  'auth.changePassword': {
    write: 'live',
    summary: 'Change one’s own password; other sessions of the user end.',
    input: z.object({ currentPassword: z.string().min(1).max(128), newPassword: passwordSchema }).strict(),
    output: okOutput,
    roles: ALL_ROLES
  }
})
