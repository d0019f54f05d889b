import { z } from 'zod'
import type { Role } from './roles'
import { ALL_ROLES, MANAGERS } from './roles'
import { idSchema } from './common'
import { monitorModeSchema, monitorSignalSchema } from './monitor'

const QA_AUDIENCE: readonly Role[] = ['qa', 'supervisor', 'admin']
const MANAGERS_AUDIENCE: readonly Role[] = ['supervisor', 'admin']
const OPERATORS: readonly Role[] = ['operator']

interface EventSpec<P extends z.ZodType = z.ZodType> {
  payload: P
  /** Who receives it. */
  roles: readonly Role[]
  /** `'user'`: only the sessions of the user named by the payload's `userId`. */
  audience?: 'user'
}

function defineEvents<const E extends Record<string, EventSpec>>(events: E): E {
  return events
}

/** Every event core may emit. Later domains add theirs here. */
export const events = defineEvents({
  'users.changed': { payload: z.object({ userId: idSchema }), roles: MANAGERS },
  /** The hub's database is in its replica up to this time (Litestream): a seat forgets what it kept of before. */
  'replication.confirmed': { payload: z.object({ upTo: z.string() }), roles: ALL_ROLES },
  'settings.changed': { payload: z.object({ keys: z.array(z.string()) }), roles: ALL_ROLES },
  /** Sent to the sessions of a user whose sessions were ended (password change, disabled). */
  /** Progress of a running import, to the user who started it. */
  'leads.importProgress': {
    payload: z.object({
      userId: idSchema,
      jobId: z.string(),
      done: z.number().int(),
      total: z.number().int(),
      phase: z.enum(['reading', 'writing'])
    }),
    roles: MANAGERS,
    audience: 'user'
  },
  'leads.importFinished': {
    payload: z.object({
      userId: idSchema,
      jobId: z.string(),
      state: z.enum(['done', 'failed', 'cancelled']),
      batchId: idSchema.nullable()
    }),
    roles: MANAGERS,
    audience: 'user'
  },
  'leads.changed': { payload: z.object({ reason: z.string() }), roles: ALL_ROLES },
  /** A caller number was taken out of use by its health (the administrators are told). */
  'numbers.suspended': {
    payload: z.object({ number: z.string(), reason: z.string() }),
    roles: MANAGERS_AUDIENCE
  },
  /** A complaint case was opened or moved on. */
  'complaints.changed': { payload: z.object({ id: idSchema }), roles: QA_AUDIENCE },
  /** The review queue, claims or reviews changed. */
  'qa.changed': { payload: z.object({ callId: idSchema.nullable() }), roles: QA_AUDIENCE },
  /** A review of one of the operator's calls was submitted or decided. */
  'qa.reviewed': { payload: z.object({ userId: idSchema, reviewId: idSchema }), roles: OPERATORS, audience: 'user' },
  /** Something on the wallboard changed (an agent state, a call, an outcome): it refreshes, it does not poll. */
  'board.changed': { payload: z.object({ reason: z.string() }), roles: MANAGERS },
  /** A dispatch or a follow-up changed (created, assigned, reported, completed). */
  'dispatch.changed': { payload: z.object({ dispatchId: idSchema.nullable() }), roles: ALL_ROLES },
  'recordings.exportProgress': {
    payload: z.object({ userId: idSchema, exportId: z.string(), done: z.number().int(), total: z.number().int() }),
    roles: QA_AUDIENCE,
    audience: 'user'
  },
  /**
   * A monitoring session, to the operator's desk: start (send this call), the supervisor's answer,
   * a mode change, the end. `show`: the centre wants the operator to see it (系统设置 → 监听).
   */
  'monitor.desk': {
    payload: z.object({
      userId: idSchema,
      sessionId: idSchema,
      callId: idSchema,
      kind: z.enum(['start', 'signal', 'mode', 'end']),
      mode: monitorModeSchema,
      show: z.boolean(),
      supervisorName: z.string(),
      signal: monitorSignalSchema.optional()
    }),
    roles: OPERATORS,
    audience: 'user'
  },
  /** A monitoring session, to the supervisor's page: the desk's offer or refusal, the end and why. */
  'monitor.supervisor': {
    payload: z.object({
      userId: idSchema,
      sessionId: idSchema,
      kind: z.enum(['signal', 'end']),
      signal: monitorSignalSchema.optional(),
      reason: z.enum(['stopped', 'callEnded', 'deskGone', 'supervisorGone', 'declined', 'replaced']).optional()
    }),
    roles: MANAGERS,
    audience: 'user'
  },
  /** The operator's desk seat moved to another desk (a tab, the desktop app): the desk that had it stops. */
  'desk.seat': {
    payload: z.object({ userId: idSchema, seat: z.string(), where: z.string() }),
    roles: OPERATORS,
    audience: 'user'
  },
  'session.ended': { payload: z.object({ userId: idSchema, reason: z.string() }), roles: ALL_ROLES, audience: 'user' }
})

export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]['payload']>
export const EVENT_NAMES = Object.keys(events) as EventName[]
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}
