import { z } from 'zod'
import { ROLES } from './enums'

export const roleSchema = z.enum(ROLES)
export type Role = z.infer<typeof roleSchema>

export const ALL_ROLES: readonly Role[] = ROLES
/** Office staff who manage people and data. */
export const MANAGERS: readonly Role[] = ['supervisor', 'admin']

/** Who reviews calls: QA, and the supervisors and administrators above it. */
export const QA_ROLES = ['qa', 'supervisor', 'admin'] as const

export { ROLES }
