import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { DB_FILE_NAME, type Logger } from '../core'
import { FileLease, LeaseWatch, LEASE_TTL_MS, type LeaseRecord } from '../core/system/lease'
import { litestreamBinary } from '../core/system/replication'

/** This process, as the lease names its holder. */
export const HUB_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`

/** The replica's folder of a file:// replica URL; null for another kind (S3: no lease there yet). */
export function replicaFolder(url: string | undefined): string | null {
  return url?.startsWith('file://') ? fileURLToPath(url) : null
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A primary takes the write lease before it opens the database for writing: at once when nobody
 * holds it, else once the holder has stopped renewing (TTL and a margin) — a hub restarted right
 * after a crash waits that long; while another hub renews it, this one never starts.
 */
export async function takeLease(
  lease: FileLease,
  url: string,
  log: Logger,
  onWait: (holder: LeaseRecord) => void
): Promise<LeaseRecord> {
  const watch = new LeaseWatch(lease)
  let told = false
  for (;;) {
    const seen = watch.look()
    if (!seen.record || seen.expired) {
      const got = lease.acquire(HUB_ID, url)
      if (got) return got
      log.warn('lease: another hub took the lease first')
    } else if (!told) {
      told = true
      onWait(seen.record)
    }
    await sleep(250)
  }
}

export interface Takeover {
  lease: LeaseRecord
  from: LeaseRecord | null
  restoreMs: number
  waitedMs: number
}

/**
 * `serve --standby`: watches the lease in the replica's folder (and, for the administrator, the
 * primary's health) until the primary has stopped renewing it for the TTL and a margin; then takes
 * the next epoch, restores the newest replica into its data folder (Litestream) and returns, to
 * serve as the primary. The database it had before, if any, is kept aside.
 */
export async function standBy(o: {
  lease: FileLease
  replicaUrl: string
  dataDir: string
  url: string
  primary: string | null
  log: Logger
  status: (s: { holder: LeaseRecord | null; stillMs: number; primaryUp: boolean | null }) => void
}): Promise<Takeover> {
  const bin = litestreamBinary()
  if (!bin)
    throw new Error(
      'Litestream is not installed (npm package @flydotio/litestream-linux-x64, or LEADLINE_LITESTREAM=path)'
    )
  const watch = new LeaseWatch(o.lease)
  const started = performance.now()
  let lastSeen: LeaseRecord | null = null
  let lastStatus = 0
  for (;;) {
    const seen = watch.look()
    if (seen.record) lastSeen = seen.record
    if (performance.now() - lastStatus > 5000) {
      lastStatus = performance.now()
      const primaryUp = o.primary
        ? await fetch(new URL('/healthz', o.primary), { signal: AbortSignal.timeout(1000) }).then(
            (r) => r.ok,
            () => false
          )
        : null
      o.status({ holder: seen.record, stillMs: Math.round(seen.stillMs), primaryUp })
    }
    if (seen.expired) {
      const lease = o.lease.acquire(HUB_ID, o.url)
      if (lease) {
        o.log.warn(
          `standby: the lease of ${lastSeen?.holder ?? 'nobody'} (epoch ${lastSeen?.epoch ?? 0}) was not renewed for ${Math.round(seen.stillMs)} ms: taking over as epoch ${lease.epoch}`
        )
        const t0 = performance.now()
        mkdirSync(o.dataDir, { recursive: true, mode: 0o700 })
        const db = join(o.dataDir, DB_FILE_NAME)
        const stamp = new Date().toISOString().replace(/[-:.]/g, '')
        for (const f of [db, `${db}-wal`, `${db}-shm`])
          if (existsSync(f)) renameSync(f, `${f}.before-takeover-${stamp}`)
        await promisify(execFile)(bin, ['restore', '-o', db, o.replicaUrl])
        return {
          lease,
          from: lastSeen,
          restoreMs: Math.round(performance.now() - t0),
          waitedMs: Math.round(performance.now() - started)
        }
      }
    }
    await sleep(250)
  }
}

export { LEASE_TTL_MS }
