import type { z } from 'zod'
import type { Role } from './roles'

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I
  output: O
  /** Roles allowed to call the method; `'public'` means callable before login. */
  roles: readonly Role[] | 'public'
  /** One line for the generated API docs and the tests' names. */
  summary: string
  /** A successful call changes what the supervisors' wallboard shows (it is told, coalesced; it never polls). */
  board?: true
}

/** Identity helper that keeps the literal types of a domain's method map. */
export function defineMethods<const M extends Record<string, MethodSpec>>(methods: M): M {
  return methods
}
