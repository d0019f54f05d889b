import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Logger } from '../invoke'
import { freePort } from '../free-port'

/** Where the database is replicated: a folder (another disk, NFS) or an S3 bucket (the centre's object store). */
export interface ReplicaTarget {
  /** file:///mnt/replica/leadline or s3://bucket/path */
  url: string
  s3?: { endpoint: string; region: string; accessKey: string; secretKey: string; pathStyle: boolean }
}

export interface ReplicationStatus {
  configured: boolean
  /** Litestream is running and its last sync worked: only then the hub calls itself replicated. */
  replicating: boolean
  target: string | null
  pid: number | null
  startedAt: string | null
  restarts: number
  lastError: string | null
  /** Bytes of the write-ahead log not in the replica yet (0: caught up). */
  lagBytes: number | null
  /** Everything committed before this time is in the replica. */
  replicatedAt: string | null
}

/** Litestream's binary from the npm package of this platform (@flydotio/litestream-<platform>-<arch>). */
export function litestreamBinary(): string | null {
  if (process.env.LEADLINE_LITESTREAM && existsSync(process.env.LEADLINE_LITESTREAM))
    return process.env.LEADLINE_LITESTREAM
  try {
    const require = createRequire(__filename)
    return require.resolve(`@flydotio/litestream-${process.platform}-${process.arch}/litestream`)
  } catch {
    return null
  }
}

/** Litestream's metrics of the database: the WAL position written locally (shadow) and the replica's. */
function positions(
  metrics: string
): { shadow: [number, number]; replica: [number, number]; syncs: number; syncErrors: number } | null {
  const num = (name: string) => {
    const m = new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(metrics)
    return m ? Number(m[1]) : null
  }
  const si = num('litestream_shadow_wal_index')
  const ss = num('litestream_shadow_wal_size')
  const ri = num('litestream_replica_wal_index')
  const ro = num('litestream_replica_wal_offset')
  if (si === null || ss === null || ri === null || ro === null) return null
  return {
    shadow: [si, ss],
    replica: [ri, ro],
    syncs: num('litestream_sync_count') ?? 0,
    syncErrors: num('litestream_sync_error_count') ?? 0
  }
}

/**
 * Continuous replication of the hub's SQLite database with Litestream (v0.3), started and watched by
 * the hub: restarted with back-off when it exits, its metrics read four times a second. The hub
 * tracks the replicated position — a time before which every commit is in the replica — so that a
 * seat can keep what it sent until it is replicated, not only written.
 */
export class Replicator {
  private child: ChildProcess | null = null
  private stopped = false
  private metricsUrl = ''
  private timer: ReturnType<typeof setInterval> | null = null
  private state: ReplicationStatus
  /**
   * Times waiting to be confirmed. A commit made before `at` is in Litestream's copy of the WAL (its
   * shadow) once a sync has *started* after `at`: two syncs after the count seen at `at` (the next one
   * may have begun before). Then it is replicated once the replica reaches the shadow's position seen
   * at that point.
   */
  private waiting: { at: number; syncs: number }[] = []
  private pending: { at: number; pos: [number, number] }[] = []
  private listeners = new Set<(replicatedAt: string) => void>()

  constructor(
    private dbFile: string,
    private dataDir: string,
    private target: ReplicaTarget,
    private logger: Logger,
    private binary: string | null = litestreamBinary()
  ) {
    this.state = {
      configured: true,
      replicating: false,
      target: target.url,
      pid: null,
      startedAt: null,
      restarts: 0,
      lastError: binary
        ? null
        : 'Litestream is not installed (npm package @flydotio/litestream-linux-x64, or LEADLINE_LITESTREAM=path)',
      lagBytes: null,
      replicatedAt: null
    }
  }

  status(): ReplicationStatus {
    return { ...this.state }
  }

  /** Told whenever the replicated position moves. */
  onReplicated(fn: (replicatedAt: string) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  async start(): Promise<void> {
    if (!this.binary) throw new Error(this.state.lastError!)
    const dir = join(this.dataDir, 'replication')
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const port = await freePort()
    this.metricsUrl = `http://127.0.0.1:${port}/metrics`
    const replica: Record<string, unknown> = { url: this.target.url, 'sync-interval': '1s' }
    if (this.target.s3)
      Object.assign(replica, {
        endpoint: this.target.s3.endpoint,
        region: this.target.s3.region,
        'access-key-id': this.target.s3.accessKey,
        'secret-access-key': this.target.s3.secretKey,
        'force-path-style': this.target.s3.pathStyle
      })
    // YAML is a superset of JSON: the configuration written as JSON needs no YAML writer
    writeFileSync(
      join(dir, 'litestream.yml'),
      JSON.stringify({ addr: `127.0.0.1:${port}`, dbs: [{ path: this.dbFile, replicas: [replica] }] }, null, 2),
      { mode: 0o600 }
    )
    this.spawn()
    this.timer = setInterval(() => void this.poll(), 250)
    this.timer.unref?.()
  }

  private spawn(): void {
    if (this.stopped) return
    const config = join(this.dataDir, 'replication', 'litestream.yml')
    // a Litestream left by a hub that crashed (it outlives its parent) would replicate beside ours: it goes
    const pidFile = join(this.dataDir, 'replication', 'litestream.pid')
    try {
      const old = Number(readFileSync(pidFile, 'utf8'))
      if (old && readFileSync(`/proc/${old}/cmdline`, 'utf8').includes(config)) process.kill(old, 'SIGKILL')
    } catch {
      // none, gone, or not this system's /proc
    }
    const child = spawn(this.binary!, ['replicate', '-config', config], { stdio: ['ignore', 'ignore', 'pipe'] })
    if (child.pid) writeFileSync(pidFile, String(child.pid))
    this.child = child
    this.state.pid = child.pid ?? null
    this.state.startedAt = new Date().toISOString()
    let tail = ''
    child.stderr!.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-2000)
      for (const line of d.toString().split('\n'))
        if (/level=(ERROR|WARN)/.test(line)) this.state.lastError = line.slice(0, 400)
    })
    child.once('exit', (code, signal) => {
      this.child = null
      this.state.pid = null
      this.state.replicating = false
      if (this.stopped) return
      this.state.lastError = `Litestream exited (${signal ?? code}); restarting`
      this.logger.warn(`replication: litestream exited (${signal ?? code})`, tail.split('\n').slice(-5).join('\n'))
      this.state.restarts++
      // back-off: 1, 2, 4 … 30 s
      const wait = Math.min(30_000, 1000 * 2 ** Math.min(this.state.restarts - 1, 5))
      setTimeout(() => this.spawn(), wait).unref?.()
    })
  }

  private async poll(): Promise<void> {
    if (!this.child) return
    let text: string
    try {
      const r = await fetch(this.metricsUrl, { signal: AbortSignal.timeout(1000) })
      text = await r.text()
    } catch {
      this.state.replicating = false
      return
    }
    const p = positions(text)
    if (!p) return
    const now = Date.now()
    const cmp = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1]
    // a new generation (a checkpoint restarted Litestream's WAL index) makes old positions meaningless:
    // what waited for one waits for the shadow's position now
    if (this.pending.length && p.shadow[0] < this.pending[this.pending.length - 1].pos[0])
      this.pending = this.pending.map((x) => ({ at: x.at, pos: p.shadow }))
    // Litestream restarted: its counts start again
    if (this.waiting.length && p.syncs < this.waiting[this.waiting.length - 1].syncs)
      this.waiting = this.waiting.map((w) => ({ at: w.at, syncs: p.syncs }))
    this.waiting.push({ at: now, syncs: p.syncs })
    while (this.waiting.length && p.syncs >= this.waiting[0].syncs + 2)
      this.pending.push({ at: this.waiting.shift()!.at, pos: p.shadow })
    const lag = p.shadow[0] === p.replica[0] ? Math.max(0, p.shadow[1] - p.replica[1]) : p.shadow[1]
    this.state.lagBytes = lag
    this.state.replicating = this.child !== null
    let reached: number | null = null
    while (this.pending.length && cmp(p.replica, this.pending[0].pos) >= 0) reached = this.pending.shift()!.at
    if (reached !== null) {
      this.state.replicatedAt = new Date(reached).toISOString()
      for (const fn of this.listeners) fn(this.state.replicatedAt)
    }
    if (this.waiting.length > 400) this.waiting.splice(0, this.waiting.length - 400)
    if (this.pending.length > 400) this.pending.splice(0, this.pending.length - 400)
  }

  /** Stops Litestream (after its last sync), e.g. when the hub closes. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    const c = this.child
    if (!c) return
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => c.kill('SIGKILL'), 10_000)
      c.once('exit', () => {
        clearTimeout(t)
        resolve()
      })
      c.kill('SIGTERM')
    })
  }
}
