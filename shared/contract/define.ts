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
  /**
   * The method changes data. `'resend'`: a write a seat keeps until the hub's replica holds it and
   * sends again after a break (a standby may have taken over without it): it carries a client id and
   * is applied once, its id saved in the same transaction as the write. `'live'`: a write tied to the
   * moment or to the connection — a login, a claim or lease, call control, a streamed upload, a job
   * started, presence — or one that carries a secret; it is not kept on the seat, the user does it
   * again if the hub that took it is lost. Unmarked: a read (an audited view or an export included).
   */
  write?: 'resend' | 'live'
}

/** Identity helper that keeps the literal types of a domain's method map. */
export function defineMethods<const M extends Record<string, MethodSpec>>(methods: M): M {
  return methods
}
