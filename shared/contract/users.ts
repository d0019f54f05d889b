import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS, roleSchema } from './roles'
import { idSchema, okOutput, passwordSchema, userSchema, usernameSchema } from './common'

const staffNo = z
  .string()
  .trim()
  .min(1)
  .max(16)
  .regex(/^[A-Za-z0-9-]+$/)
const districtCode = z.string().regex(/^\d{6}$/)

export const usersMethods = defineMethods({
  'users.list': {
    summary: 'Users, optionally of one role or district.',
    input: z
      .object({
        role: roleSchema.optional(),
        districtCode: districtCode.optional(),
        includeDisabled: z.boolean().optional()
      })
      .strict(),
    output: z.array(userSchema),
    roles: MANAGERS
  },
  'users.create': {
    write: 'live',
    summary: 'Add a user.',
    input: z
      .object({
        username: usernameSchema,
        displayName: z.string().trim().min(1).max(64),
        role: roleSchema,
        password: passwordSchema,
        staffNo: staffNo.optional(),
        districtCode: districtCode.optional()
      })
      .strict(),
    output: userSchema,
    roles: ['admin']
  },
  'users.update': {
    write: 'resend',
    summary:
      'Change a user’s name, role, staff number, district, team or whether they may log in (audited before and after).',
    input: z
      .object({
        id: idSchema,
        displayName: z.string().trim().min(1).max(64).optional(),
        role: roleSchema.optional(),
        staffNo: staffNo.nullable().optional(),
        districtCode: districtCode.nullable().optional(),
        /** An operator's team; null: none. */
        teamId: idSchema.nullable().optional(),
        disabled: z.boolean().optional()
      })
      .strict(),
    output: userSchema,
    roles: ['admin']
  },
  'users.names': {
    summary: 'Operators’ names, 工号 and teams, for filters (QA’s 录音库, reports) without the rest of the user list.',
    input: z.object({ includeDisabled: z.boolean().optional() }).strict(),
    output: z.array(
      z.object({
        id: idSchema,
        name: z.string(),
        staffNo: z.string().nullable(),
        teamId: idSchema.nullable(),
        disabled: z.boolean()
      })
    ),
    roles: ['qa', 'supervisor', 'admin']
  },
  'users.resetPassword': {
    write: 'live',
    summary: 'Set a new password for a user; their sessions end and a lock-out is lifted.',
    input: z.object({ id: idSchema, password: passwordSchema }).strict(),
    output: okOutput,
    roles: ['admin']
  },
  'users.unlock': {
    write: 'resend',
    summary: 'Lift a lock-out after failed logins.',
    input: z.object({ id: idSchema }).strict(),
    output: okOutput,
    roles: ['admin']
  }
})
