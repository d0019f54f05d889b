import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Who holds the lease: one hub, by its epoch (a fencing number: a takeover is always the next one). */
export interface LeaseRecord {
  epoch: number
  holder: string
  /** Where seats reach the holder. */
  url: string
  /** Renewals so far: a standby sees the lease alive while this moves. */
  beat: number
  at: string
  /** Given up by its holder (a planned handover): a standby takes the next epoch at once. */
  released?: boolean
}

export const LEASE_TTL_MS = Number(process.env.LEADLINE_LEASE_TTL_MS) || 10_000

/**
 * The write lease between a primary hub and its standby, kept in the replica's folder (the shared
 * disk or NFS path Litestream replicates to): `lease/epoch-<N>.json`, one file per epoch. Taking the
 * lease is creating the next epoch's file exclusively (O_EXCL: of two hubs trying, one wins, on a
 * local disk and on NFS v3+); the holder renews by rewriting its own file and, each time, checks that
 * no later epoch exists. A holder that has not confirmed its lease for the TTL stops writing
 * (`fenced`); a standby takes over only after seeing no renewal for the TTL and a margin on its own
 * clock — so the two never write at once, whether the primary died, was cut off from the replica, or
 * only from the standby (then it keeps renewing and the standby keeps waiting).
 *
 * Why a file and not the object store: conditional writes (If-None-Match) are what an S3 lease needs,
 * and Ceph RGW 16 does not have them; an exclusive create on the replica's folder is the same
 * compare-and-set with nothing more to run.
 */
export class FileLease {
  private dir: string
  private timer: ReturnType<typeof setInterval> | null = null
  private confirmed = 0
  private held: LeaseRecord | null = null

  constructor(replicaDir: string) {
    this.dir = join(replicaDir, 'lease')
    mkdirSync(this.dir, { recursive: true })
  }

  /** The newest epoch's record, or null when nobody ever held it. */
  current(): LeaseRecord | null {
    let names: string[]
    try {
      names = readdirSync(this.dir)
    } catch {
      return null
    }
    const epochs = names
      .map((n) => /^epoch-(\d+)\.json$/.exec(n))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a)
    for (const e of epochs) {
      try {
        return JSON.parse(readFileSync(join(this.dir, `epoch-${e}.json`), 'utf8')) as LeaseRecord
      } catch {
        // being written by its creator this instant: the one before tells who held it
      }
    }
    return null
  }

  /** Takes the next epoch; false when another hub took it first. */
  acquire(holder: string, url: string): LeaseRecord | null {
    const epoch = (this.current()?.epoch ?? 0) + 1
    const rec: LeaseRecord = { epoch, holder, url, beat: 0, at: new Date().toISOString() }
    try {
      writeFileSync(join(this.dir, `epoch-${epoch}.json`), JSON.stringify(rec), { flag: 'wx' })
    } catch {
      return null
    }
    this.held = rec
    this.confirmed = performance.now()
    return rec
  }

  /** Renews the held lease: false (and never again true) once a later epoch exists. */
  renew(): boolean {
    const h = this.held
    if (!h) return false
    const cur = this.current()
    if (!cur || cur.epoch !== h.epoch) {
      this.held = null
      return false
    }
    h.beat++
    h.at = new Date().toISOString()
    const file = join(this.dir, `epoch-${h.epoch}.json`)
    writeFileSync(`${file}.tmp`, JSON.stringify(h))
    renameSync(`${file}.tmp`, file)
    this.confirmed = performance.now()
    return true
  }

  /**
   * Keeps the lease: renews every TTL/5; `fenced` is told once, when a later epoch exists or the lease
   * could not be confirmed for the TTL (the replica's folder out of reach) — the holder must stop writing.
   */
  keep(fenced: (why: string) => void): void {
    let told = false
    const tell = (why: string) => {
      if (told) return
      told = true
      this.stop()
      fenced(why)
    }
    this.timer = setInterval(
      () => {
        try {
          if (!this.renew()) tell('a later epoch holds the lease')
        } catch (err) {
          if (performance.now() - this.confirmed > LEASE_TTL_MS)
            tell(`the lease could not be renewed for ${LEASE_TTL_MS} ms: ${(err as Error).message}`)
        }
      },
      Math.max(200, LEASE_TTL_MS / 5)
    )
  }

  /** A planned handover: the holder gives the lease up (after its last write is in the replica). */
  release(): void {
    const h = this.held
    if (!h) return
    this.stop()
    h.released = true
    h.at = new Date().toISOString()
    const file = join(this.dir, `epoch-${h.epoch}.json`)
    writeFileSync(`${file}.tmp`, JSON.stringify(h))
    renameSync(`${file}.tmp`, file)
    this.held = null
  }

  /** A standby says where it is (every second while it stands by): the holder tells its seats. */
  announce(id: string, url: string): void {
    const file = join(this.dir, `standby-${id.replace(/[^\w.-]/g, '_')}.json`)
    writeFileSync(`${file}.tmp`, JSON.stringify({ url, at: new Date().toISOString() }))
    renameSync(`${file}.tmp`, file)
  }

  withdraw(id: string): void {
    rmSync(join(this.dir, `standby-${id.replace(/[^\w.-]/g, '_')}.json`), { force: true })
  }

  /** The standbys heard from lately (their addresses). */
  standbys(maxAgeMs = LEASE_TTL_MS * 3): string[] {
    const out: string[] = []
    for (const n of readdirSync(this.dir)) {
      if (!/^standby-.*\.json$/.test(n)) continue
      try {
        const a = JSON.parse(readFileSync(join(this.dir, n), 'utf8')) as { url: string; at: string }
        if (Date.now() - new Date(a.at).getTime() < maxAgeMs) out.push(a.url)
      } catch {
        // being written
      }
    }
    return out
  }

  /** Where seats reach the holder (known once it listens), written with the next renewal. */
  setUrl(url: string): void {
    if (this.held) this.held.url = url
  }

  holding(): LeaseRecord | null {
    return this.held
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}

/**
 * What a standby watches: the lease's record, and since when (on its own clock) it has not moved.
 * `expired` once it has not moved for the TTL and a margin — the holder has stopped writing by then.
 */
export class LeaseWatch {
  private last: string | null = null
  private since = performance.now()

  constructor(
    private lease: FileLease,
    private marginMs = Math.max(1000, LEASE_TTL_MS / 2)
  ) {}

  look(): { record: LeaseRecord | null; stillMs: number; expired: boolean } {
    const record = this.lease.current()
    const key = record ? `${record.epoch}:${record.beat}` : null
    if (key !== this.last) {
      this.last = key
      this.since = performance.now()
    }
    const stillMs = performance.now() - this.since
    return { record, stillMs, expired: !!record?.released || stillMs > LEASE_TTL_MS + this.marginMs }
  }
}
