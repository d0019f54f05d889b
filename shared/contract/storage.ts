import { z } from 'zod'
import { defineMethods } from './define'
import { isoTime } from './common'

/** Where finished recordings are archived: the hub's folder (default) or an S3-compatible store. */
export const storageSettingsSchema = z.object({
  kind: z.enum(['local', 's3']),
  /** http(s)://host:port of the S3 API (Ceph RGW, MinIO, OSS, COS, OBS, AWS). */
  endpoint: z.string().trim().max(300),
  region: z.string().trim().max(64),
  bucket: z.string().trim().max(63),
  /** Objects go under this prefix (a centre's folder in a shared bucket). */
  prefix: z.string().trim().max(200),
  /** Path-style addresses (host/bucket/key), as Ceph and MinIO default to; else virtual-host (bucket.host/key). */
  pathStyle: z.boolean(),
  accessKey: z.string().trim().max(200),
  secretSet: z.boolean(),
  /** The seats reach the store themselves: playback from a short-lived signed URL; else the hub serves it. */
  seatsReach: z.boolean(),
  /** The bucket has Object Lock: signed sales' recordings cannot be deleted before their time, by anyone. */
  objectLock: z.boolean(),
  /** Hours a stored recording's local copy stays (recent playback from the hub's disk). */
  graceHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 90),
  /** The local copies of stored recordings are kept under this size (MB); the oldest go first. */
  cacheMb: z.number().int().min(0).max(10_000_000)
})
export type StorageSettings = z.infer<typeof storageSettingsSchema>

export const storageStatusSchema = storageSettingsSchema.extend({
  /** Recordings not in the store yet (the backlog): it grows while the store is away and drains after. */
  localOnly: z.number().int(),
  localOnlyBytes: z.number(),
  /** Of them, those whose last upload failed (retried with back-off). */
  failing: z.number().int(),
  oldestWaitingAt: isoTime.nullable(),
  lastError: z.string().nullable(),
  /** Objects of removed recordings (erasure, retention) still to delete from the store. */
  deletesPending: z.number().int(),
  stored: z.number().int(),
  /** Bytes of stored recordings still on the hub's disk. */
  cachedBytes: z.number()
})
export type StorageStatus = z.infer<typeof storageStatusSchema>

export const storageCheckSchema = z.object({
  ok: z.boolean(),
  steps: z.array(z.object({ step: z.string(), ok: z.boolean(), detail: z.string() })),
  skewMs: z.number().nullable(),
  objectLock: z.boolean(),
  localOnly: z.number().int()
})
export type StorageCheck = z.infer<typeof storageCheckSchema>

export const storageMethods = defineMethods({
  'storage.status': {
    summary: 'Where recordings are archived, and what waits: recordings not in the store yet, failures, deletes.',
    input: z.object({}).strict(),
    output: storageStatusSchema,
    roles: ['admin']
  },
  'storage.set': {
    write: 'live',
    summary:
      'Archive recordings in an S3-compatible store (checked by a round trip first; the secret key sealed) or in the local folder. Audited.',
    input: storageSettingsSchema
      .omit({ secretSet: true, objectLock: true })
      .extend({ secretKey: z.string().max(200).optional() })
      .strict(),
    output: storageStatusSchema,
    roles: ['admin']
  },
  'storage.check': {
    summary: 'The store reached, the bucket, a write, read and delete, the clocks compared, Object Lock; the backlog.',
    input: z.object({}).strict(),
    output: storageCheckSchema,
    roles: ['admin']
  }
})
