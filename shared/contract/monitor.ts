import { z } from 'zod'
import { defineMethods } from './define'
import { idSchema, isoTime, okOutput } from './common'
import { MONITOR_MODES } from './enums'

/** 监听 (hear both sides), 耳语 (talk to the operator only), 强插 (join the call). */
export const monitorModeSchema = z.enum(MONITOR_MODES)
export type MonitorMode = z.infer<typeof monitorModeSchema>

/** Who may monitor: supervisors (their own teams, or all when the centre allows) and administrators. */
export const MONITOR_ROLES = ['supervisor', 'admin'] as const

/** An SDP is a few kilobytes; this is ample and keeps the hub's frames small. */
const sdp = z.string().min(1).max(16_000)

/** What the desk and the supervisor's page say to each other through the hub. */
export const monitorSignalSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offer'), sdp }).strict(),
  z.object({ type: z.literal('answer'), sdp }).strict(),
  /** The desk cannot give this call (it has no such call, or no audio for it). */
  z.object({ type: z.literal('decline'), reason: z.enum(['noCall', 'noMedia']) }).strict()
])
export type MonitorSignal = z.infer<typeof monitorSignalSchema>

export const monitorSessionSchema = z.object({
  sessionId: idSchema,
  operatorId: idSchema,
  operatorName: z.string(),
  supervisorId: idSchema,
  supervisorName: z.string(),
  callId: idSchema,
  mode: monitorModeSchema,
  startedAt: isoTime
})
export type MonitorSession = z.infer<typeof monitorSessionSchema>

export const monitorMethods = defineMethods({
  'monitor.start': {
    write: 'live',
    summary:
      'Start monitoring an operator’s current call in a mode (监听/耳语/强插): the operator’s desk is asked to send both sides of the call to the caller’s page.',
    input: z.object({ operatorId: idSchema, mode: monitorModeSchema.default('listen') }).strict(),
    output: monitorSessionSchema,
    roles: MONITOR_ROLES,
    board: true
  },
  'monitor.mode': {
    write: 'live',
    summary: 'Switch a monitoring session between listen, whisper and barge.',
    input: z.object({ sessionId: idSchema, mode: monitorModeSchema }).strict(),
    output: monitorSessionSchema,
    roles: MONITOR_ROLES
  },
  'monitor.stop': {
    write: 'live',
    summary: 'End a monitoring session.',
    input: z.object({ sessionId: idSchema }).strict(),
    output: okOutput,
    roles: MONITOR_ROLES,
    board: true
  },
  'monitor.signal': {
    write: 'live',
    summary: 'Pass a WebRTC offer, answer or refusal to the other side of a monitoring session.',
    input: z.object({ sessionId: idSchema, signal: monitorSignalSchema }).strict(),
    output: okOutput,
    roles: ['operator', ...MONITOR_ROLES]
  },
  'monitor.active': {
    summary: 'The monitoring sessions running now (who monitors whom).',
    input: z.object({}).strict(),
    output: z.array(monitorSessionSchema),
    roles: MONITOR_ROLES
  }
})
