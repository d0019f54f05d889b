import { z } from 'zod'
import { defineMethods } from './define'
import { QA_ROLES } from './roles'
import { idSchema, isoTime } from './common'

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)

export const recordingSchema = z.object({
  id: idSchema,
  callId: idSchema,
  operatorId: idSchema,
  leadId: idSchema.nullable(),
  line: z.enum(['sip', 'simulated']),
  mime: z.string(),
  state: z.enum(['recording', 'done', 'interrupted']),
  startedAt: isoTime,
  endedAt: isoTime.nullable(),
  durationMs: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string().nullable(),
  peaksPerSec: z.number().int(),
  retentionClass: z.enum(['call', 'sale_5y', 'sale_10y'])
})
export type Recording = z.infer<typeof recordingSchema>

/** What the two channels of a call say (electron/core/recordings/analysis.ts), kept per recording. */
export const callMetricsSchema = z.object({
  operatorTalkShare: z.number(),
  customerTalkShare: z.number(),
  silenceShare: z.number(),
  longestSilenceMs: z.number().int(),
  talkOverShare: z.number(),
  talkOverMs: z.number().int(),
  longestMonologueMs: z.number().int(),
  firstCustomerWordMs: z.number().int().nullable(),
  hungUpBy: z.enum(['operator', 'customer', 'unknown'])
})
export type CallMetrics = z.infer<typeof callMetricsSchema>

/** Who may listen: the operator to their own calls; a field agent to the calls of the visits assigned to them; QA, supervisors and administrators to all. */
export const RECORDING_LISTENERS = ['operator', 'field_agent', 'qa', 'supervisor', 'admin'] as const

export const recordingsMethods = defineMethods({
  'recordings.start': {
    write: 'live',
    summary: 'Begin the recording of an answered call.',
    input: z
      .object({
        callId: idSchema,
        mime: z
          .string()
          .max(64)
          .regex(/^audio\/(webm|ogg)/)
      })
      .strict(),
    output: z.object({ recordingId: idSchema, chunkMs: z.number().int() }),
    roles: ['operator']
  },
  'recordings.chunk': {
    write: 'live',
    summary:
      'One chunk of audio (base64) with its waveform peaks, in order; written and flushed at once. A repeated or late chunk is acknowledged, never an error.',
    input: z
      .object({
        recordingId: idSchema,
        seq: z.number().int().min(0),
        data: base64.max(4_000_000),
        peaks: base64.max(100_000),
        durationMs: z.number().int().min(0)
      })
      .strict(),
    /** dropped: the recording was already closed and the chunk is not part of it (a late or repeated send). */
    output: z.object({ bytes: z.number().int(), dropped: z.boolean().optional() }),
    roles: ['operator']
  },
  'recordings.finish': {
    write: 'live',
    summary:
      'Close a recording: duration, size and SHA-256 are stored. With the number of chunks the seat sent, a recording closed as interrupted meanwhile is complete again.',
    input: z
      .object({
        recordingId: idSchema,
        durationMs: z.number().int().min(0),
        chunks: z.number().int().min(0).optional()
      })
      .strict(),
    output: recordingSchema,
    roles: ['operator']
  },
  'recordings.get': {
    summary: 'A recording’s details and its waveform peaks (base64).',
    input: z.object({ id: idSchema }).strict(),
    output: recordingSchema.extend({ peaks: z.string() }),
    roles: RECORDING_LISTENERS
  },
  'recordings.list': {
    summary: 'Recordings, newest first (an operator sees their own).',
    input: z.object({ limit: z.number().int().min(1).max(500).default(50), beforeId: idSchema.optional() }).strict(),
    output: z.array(recordingSchema.extend({ operatorName: z.string() })),
    roles: ['operator', 'qa', 'supervisor', 'admin']
  },
  'recordings.analysis': {
    summary:
      'What the two channels say: talk shares, silences, talk-over, the longest monologue, the first customer word, who hung up.',
    input: z.object({ id: idSchema }).strict(),
    output: callMetricsSchema.extend({ durationMs: z.number().int() }),
    roles: RECORDING_LISTENERS
  },
  'recordings.media': {
    summary: 'A short-lived address to stream a recording from (range requests).',
    input: z.object({ id: idSchema }).strict(),
    /** `url`: a signed address in the recordings' store, when the seats reach it (else null: the hub's path). */
    output: z.object({ token: z.string(), path: z.string(), url: z.string().nullable(), expiresAt: isoTime }),
    roles: RECORDING_LISTENERS
  },
  'recordings.export': {
    summary:
      'Copy recordings (录音拷贝) with a metadata sheet (XLSX with SHA-256) into a ZIP or into a folder the desktop user picked, as stored or converted to WAV; written to the audit log. Progress comes as events.',
    input: z
      .object({
        ids: z.array(idSchema).min(1).max(2000),
        format: z.enum(['original', 'wav']),
        exportId: z.string().regex(/^[\w-]{1,64}$/),
        /** Into a folder the desktop user picked (the token the folder dialog gave); a ZIP to download otherwise. */
        folderToken: z.string().max(64).optional()
      })
      .strict(),
    output: z.object({
      token: z.string().nullable(),
      fileName: z.string(),
      folder: z.string().nullable(),
      files: z.number().int(),
      bytes: z.number().int()
    }),
    roles: QA_ROLES
  }
})
