import { z } from 'zod'
import { defineMethods } from './define'
import { ALL_ROLES, MANAGERS } from './roles'
import { isoTime, okOutput } from './common'

export const districtSchema = z.object({
  code: z.string(),
  name: z.string(),
  city: z.string(),
  /** 广西壮族自治区, 北京市 … ('' for a district added by hand before districts carried it). */
  province: z.string(),
  aliases: z.array(z.string()),
  direction: z.enum(['east', 'south', 'west', 'north']).nullable()
})
export type District = z.infer<typeof districtSchema>

/** A district's field team: its own leader and agents, or the team of the district that covers it. */
export const districtCoverageSchema = z.object({
  code: z.string(),
  name: z.string(),
  /** Covered by this district's team (its leader assigns this district's visits to its agents). */
  coveredBy: z.string().nullable(),
  coveredByName: z.string().nullable(),
  leaders: z.number().int(),
  agents: z.number().int(),
  /** Successes waiting for a field agent. */
  openDispatches: z.number().int(),
  /** The earliest of their assignment deadlines (09:30 on the next working day). */
  assignDue: isoTime.nullable(),
  problem: z.enum(['noLeader', 'noAgent']).nullable()
})
export type DistrictCoverage = z.infer<typeof districtCoverageSchema>

export const districtsMethods = defineMethods({
  'districts.list': {
    summary: 'The districts leads are routed by: every county-level division of China, the centre’s city first.',
    input: z.object({ city: z.string().max(32).optional() }).strict(),
    output: z.array(districtSchema),
    roles: ALL_ROLES
  },
  'districts.coverage': {
    summary:
      'Every district with its field team (leaders and active agents, its own or its covering team’s), waiting visits and what is missing.',
    input: z.object({}).strict(),
    output: z.array(districtCoverageSchema),
    roles: MANAGERS
  },
  'districts.setCover': {
    write: 'resend',
    summary:
      'Give a district to another district’s field team (null: back to its own); its waiting visits move to that team.',
    input: z
      .object({
        code: z.string().regex(/^\d{6}$/),
        coveredBy: z
          .string()
          .regex(/^\d{6}$/)
          .nullable()
      })
      .strict(),
    output: okOutput,
    roles: ['admin']
  }
})
