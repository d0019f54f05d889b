import { z } from 'zod'
import { defineMethods } from './define'
import { idSchema, okOutput } from './common'

export const teamSchema = z.object({
  id: idSchema,
  name: z.string(),
  supervisorId: idSchema.nullable(),
  supervisorName: z.string().nullable(),
  memberIds: z.array(idSchema),
  /** The caller supervises this team. */
  mine: z.boolean()
})
export type Team = z.infer<typeof teamSchema>

/**
 * Which operators a team-scoped view covers: one team, every team ('all'), or — left out — the
 * caller's own teams (a supervisor's), or everyone for those who supervise none.
 */
export const teamScopeSchema = z.union([idSchema, z.literal('all')]).optional()

const teamName = z.string().trim().min(1).max(32)

export const teamsMethods = defineMethods({
  'teams.list': {
    summary: 'The teams (班组) with their supervisor and operators; whether the caller may see every team.',
    input: z.object({}).strict(),
    output: z.object({ teams: z.array(teamSchema), seeAll: z.boolean() }),
    roles: ['qa', 'supervisor', 'admin']
  },
  'teams.create': {
    write: 'resend',
    summary: 'Add a team with its supervisor and operators (an operator moves from their old team).',
    input: z
      .object({
        name: teamName,
        supervisorId: idSchema.nullable().optional(),
        memberIds: z.array(idSchema).max(500).optional()
      })
      .strict(),
    output: teamSchema,
    roles: ['admin']
  },
  'teams.update': {
    write: 'resend',
    summary: 'Rename a team, change its supervisor, or set its operators (those left out leave the team).',
    input: z
      .object({
        id: idSchema,
        name: teamName.optional(),
        supervisorId: idSchema.nullable().optional(),
        memberIds: z.array(idSchema).max(500).optional()
      })
      .strict(),
    output: teamSchema,
    roles: ['admin']
  },
  'teams.remove': {
    write: 'resend',
    summary: 'Remove a team; its operators are in no team until they are given one.',
    input: z.object({ id: idSchema }).strict(),
    output: okOutput,
    roles: ['admin']
  }
})
