import { createHash } from 'node:crypto'
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import type { Locale, StorageSettings, StorageStatus, User } from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import type { SecretBox } from '../secrets'
import { ArchiveRepo, type StoreRow, type ToUpload } from './archive-repo'
import { S3Store, type RecordingStore, type StoreCheck } from './object-store'
import { peaksFile, type RecordingFiles } from './store'

/** After a failed upload: 30 s, 1, 2, 5 min, then every 10 min until the store is back (a recording is never given up). */
const BACKOFF_MS = [30_000, 60_000, 120_000, 300_000, 600_000]
const CONCURRENCY = 4

export interface ArchiveTick {
  uploaded: number
  failed: number
  synced: number
  deleted: number
  removedLocal: number
}

/**
 * The recordings' archive: the local folder (default) or an S3 store. With S3, every closed
 * recording is uploaded (the queue is the recordings not yet stored: durable, and the same for a
 * call that just ended and an old archive being migrated), checked, given its class, retain-until
 * and legal hold, and its local copy removed after the grace period or when the local cache passes
 * its size. Playback reads the local copy while there is one, else the store (ranges).
 */
export class RecordingArchive {
  readonly repo: ArchiveRepo
  private cached: { at: string; store: S3Store } | null = null
  private running: Promise<ArchiveTick> | null = null

  constructor(
    private deps: CoreDeps,
    private box: SecretBox,
    private files: RecordingFiles
  ) {
    this.repo = new ArchiveRepo(deps.db)
    files.fetcher = (rel) => this.fetchToCache(rel)
  }

  private get cacheDir(): string {
    return join(this.deps.dataDir, 'cache', 'recordings')
  }

  /**
   * A stored recording whose local copy is gone, fetched into the cache (for an export, a package,
   * a customer's data) and checked against its SHA-256; the cache keeps recent ones within its size.
   */
  private async fetchToCache(rel: string): Promise<string | null> {
    const r = this.repo.byFile(rel)
    const store = this.store()
    if (!r?.object_key || !store) return null
    const path = join(this.cacheDir, r.object_key)
    if (existsSync(path)) {
      const now = new Date()
      utimesSync(path, now, now)
      return path
    }
    mkdirSync(dirname(path), { recursive: true })
    const part = `${path}.part`
    const hash = createHash('sha256')
    const body = await store.read(r.object_key)
    await pipeline(
      body,
      async function* (src: AsyncIterable<Buffer>) {
        for await (const chunk of src) {
          hash.update(chunk)
          yield chunk
        }
      },
      createWriteStream(part)
    )
    if (r.sha256 && hash.digest('hex') !== r.sha256) {
      rmSync(part, { force: true })
      throw new Error(`the store's copy of ${rel} does not match its SHA-256`)
    }
    renameSync(part, path)
    return path
  }

  /** The cache of fetched recordings kept under its size: the least recently used go first. */
  private trimCache(limitBytes: number): number {
    const files: { p: string; size: number; at: number }[] = []
    const walk = (d: string) => {
      let names: string[]
      try {
        names = readdirSync(d)
      } catch {
        return
      }
      for (const n of names) {
        const p = join(d, n)
        const st = statSync(p, { throwIfNoEntry: false })
        if (st?.isDirectory()) walk(p)
        else if (st) files.push({ p, size: st.size, at: st.mtimeMs })
      }
    }
    walk(this.cacheDir)
    let total = files.reduce((a, f) => a + f.size, 0)
    let removed = 0
    for (const f of files.sort((a, b) => a.at - b.at)) {
      if (total <= limitBytes) break
      rmSync(f.p, { force: true })
      total -= f.size
      removed++
    }
    return removed
  }

  private abs(rel: string): string {
    return this.files.abs(this.deps.dataDir, rel)
  }

  /** The S3 store when one is set, else null (the local folder is the archive). */
  store(): S3Store | null {
    const r = this.repo.store()
    if (!r || r.kind !== 's3') return null
    if (this.cached?.at !== r.updated_at) this.cached = { at: r.updated_at, store: this.open(r) }
    return this.cached.store
  }

  private open(r: StoreRow): S3Store {
    return new S3Store({
      endpoint: r.endpoint,
      region: r.region,
      bucket: r.bucket,
      prefix: r.prefix,
      pathStyle: !!r.path_style,
      accessKey: r.access_key,
      secretKey: r.secret_sealed.length ? this.box.open(r.secret_sealed) : '',
      objectLock: !!r.object_lock
    })
  }

  /** The object store's address and keys (for the database's replica in the same store), when there is one. */
  credentials(): { endpoint: string; region: string; accessKey: string; secretKey: string; pathStyle: boolean } | null {
    const r = this.repo.store()
    if (r?.kind !== 's3') return null
    return {
      endpoint: r.endpoint,
      region: r.region,
      accessKey: r.access_key,
      secretKey: r.secret_sealed.length ? this.box.open(r.secret_sealed) : '',
      pathStyle: !!r.path_style
    }
  }

  settings(): StorageSettings {
    const r = this.repo.store()
    return {
      kind: r?.kind ?? 'local',
      endpoint: r?.endpoint ?? '',
      region: r?.region ?? 'us-east-1',
      bucket: r?.bucket ?? '',
      prefix: r?.prefix ?? '',
      pathStyle: r ? !!r.path_style : true,
      accessKey: r?.access_key ?? '',
      secretSet: !!r?.secret_sealed.length,
      seatsReach: !!r?.seats_reach,
      objectLock: !!r?.object_lock,
      graceHours: r?.grace_hours ?? 24,
      cacheMb: r?.cache_mb ?? 2048
    }
  }

  /**
   * Sets where recordings are archived. S3 is checked first (a round trip in the bucket): a store
   * that does not work is refused and nothing changes. Back to local only when every recording is
   * in the local folder again.
   */
  async set(
    input: Omit<StorageSettings, 'secretSet' | 'objectLock'> & { secretKey?: string },
    user: User,
    source: string,
    locale: Locale = 'zh-CN'
  ): Promise<StorageStatus> {
    const old = this.repo.store()
    const at = this.deps.clock.now().toISOString()
    let objectLock = false
    if (input.kind === 's3') {
      const secret = input.secretKey || (old?.secret_sealed.length ? this.box.open(old.secret_sealed) : '')
      if (!input.endpoint || !/^https?:\/\//.test(input.endpoint))
        throw new AppError('INVALID_INPUT', 'errors.storageEndpoint')
      if (!input.bucket || !input.accessKey || !secret) throw new AppError('INVALID_INPUT', 'errors.storageIncomplete')
      const probe = new S3Store({ ...input, secretKey: secret, objectLock: false })
      const c = await probe.check()
      if (!c.ok) {
        const bad = c.steps.find((s) => !s.ok)!
        throw new AppError('INVALID_INPUT', 'errors.storageCheckFailed', {
          step: translate(locale, `storage.steps.${bad.step}`),
          detail: bad.detail
        })
      }
      objectLock = c.objectLock
    } else if (old?.kind === 's3' && this.repo.onlyInStore() > 0)
      throw new AppError('CONFLICT', 'errors.storageOnlyInStore', { count: this.repo.onlyInStore() })
    this.repo.transaction(() => {
      this.repo.saveStore({
        kind: input.kind,
        endpoint: input.endpoint,
        region: input.region || 'us-east-1',
        bucket: input.bucket,
        prefix: input.prefix.replace(/^\/+|\/+$/g, ''),
        path_style: input.pathStyle ? 1 : 0,
        access_key: input.accessKey,
        secret_sealed: input.secretKey ? this.box.seal(input.secretKey) : null,
        seats_reach: input.seatsReach ? 1 : 0,
        object_lock: objectLock ? 1 : 0,
        grace_hours: input.graceHours,
        cache_mb: input.cacheMb,
        updated_at: at
      })
      // another store, or none: what the old one holds is not known to the new one
      if (input.kind === 'local' || (old && (old.endpoint !== input.endpoint || old.bucket !== input.bucket)))
        this.repo.forgetStore()
      this.deps.audit.write({
        userId: user.id > 0 ? user.id : null,
        username: user.username,
        action: 'storage.set',
        entity: 'storage',
        details: { kind: input.kind, endpoint: input.endpoint, bucket: input.bucket, prefix: input.prefix, objectLock },
        source
      })
    })
    return this.status()
  }

  status(): StorageStatus {
    const s = this.settings()
    // the local folder is the archive: nothing waits (and nothing is counted over every recording)
    const b =
      s.kind === 's3'
        ? this.repo.backlog()
        : { localOnly: 0, localOnlyBytes: 0, failing: 0, oldest: null, lastError: null, deletes: 0, stored: 0 }
    return {
      ...s,
      localOnly: s.kind === 's3' ? b.localOnly : 0,
      localOnlyBytes: s.kind === 's3' ? b.localOnlyBytes : 0,
      failing: b.failing,
      oldestWaitingAt: s.kind === 's3' ? b.oldest : null,
      lastError: b.lastError,
      deletesPending: b.deletes,
      stored: b.stored,
      cachedBytes: this.repo.cachedBytes()
    }
  }

  /**
   * After a takeover with recordings on the hubs' own disks: the recordings whose file this hub lacks
   * (they were on the old primary's disk), counted in pages so the hub stays responsive.
   */
  async lacking(): Promise<{ count: number; first: string[] }> {
    let afterId = 0
    let count = 0
    const first: string[] = []
    for (;;) {
      const rows = this.repo.localOnlyFiles(afterId, 2000)
      if (!rows.length) break
      afterId = rows[rows.length - 1].id
      for (const r of rows)
        if (!existsSync(this.abs(r.file))) {
          count++
          if (first.length < 20) first.push(r.file)
        }
      await new Promise((r) => setImmediate(r))
    }
    return { count, first }
  }

  /** The wallboard's line: what waits for the store; null with the local folder. */
  wallboard(): { localOnly: number; failing: number; oldestWaitingAt: string | null; lastError: string | null } | null {
    if (this.repo.store()?.kind !== 's3') return null
    const b = this.repo.waiting()
    return { localOnly: b.localOnly, failing: b.failing, oldestWaitingAt: b.oldest, lastError: b.lastError }
  }

  async check(): Promise<StoreCheck & { localOnly: number }> {
    const store = this.store()
    if (!store) return { ok: true, steps: [], skewMs: null, objectLock: false, localOnly: 0 }
    const c = await store.check()
    if (c.steps.find((s) => s.step === 'bucket')?.ok) this.repo.setObjectLock(c.objectLock)
    return { ...c, localOnly: this.repo.backlog().localOnly }
  }

  /** The job (every few seconds): uploads, retention changes, deletes, the local cache. Never overlaps itself. */
  tick(): Promise<ArchiveTick> {
    if (!this.running)
      this.running = this.work().finally(() => {
        this.running = null
      })
    return this.running
  }

  private async work(): Promise<ArchiveTick> {
    const out: ArchiveTick = { uploaded: 0, failed: 0, synced: 0, deleted: 0, removedLocal: 0 }
    const store = this.store()
    if (!store) return out
    const now = this.deps.clock.now().toISOString()
    // a backlog (the store was away, a busy hour) drains at full speed: batch after batch while they all
    // go through, for a minute at most per turn (the rest of the job gets its turn too)
    const until = Date.now() + 60_000
    for (;;) {
      const batch = this.repo.toUpload(now, 32)
      const r = await this.uploadAll(store, batch)
      out.uploaded += r.uploaded
      out.failed += r.failed
      if (batch.length < 32 || r.failed || Date.now() > until) break
    }
    for (const s of this.repo.toSync(50)) {
      try {
        await store.retain(s.object_key, {
          retentionClass: s.retention_class,
          retainUntil: s.retain_until,
          legalHold: !!s.legal_hold
        })
        this.repo.synced(s.id)
        out.synced++
      } catch {
        break // the store is away: the next turn tries again
      }
    }
    for (const d of this.repo.toDelete(now, 50)) {
      try {
        await store.remove(d.object_key)
        this.repo.deleted(d.id)
        out.deleted++
      } catch (err) {
        this.repo.deleteFailed(d.id, describe(err), this.later(d.attempts))
      }
    }
    out.removedLocal = this.evict()
    return out
  }

  private later(attempts: number): string {
    const ms = BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length - 1)]
    return new Date(this.deps.clock.now().getTime() + ms).toISOString()
  }

  /** Uploads these, a few at a time; each one checked, or marked to try again later. */
  private async uploadAll(store: RecordingStore, batch: ToUpload[]): Promise<{ uploaded: number; failed: number }> {
    let uploaded = 0
    let failed = 0
    let next = 0
    const worker = async () => {
      while (next < batch.length) {
        const r = batch[next++]
        try {
          await this.uploadOne(store, r)
          uploaded++
        } catch (err) {
          failed++
          this.repo.uploadFailed(r.id, describe(err), this.later(r.upload_attempts))
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batch.length) }, worker))
    return { uploaded, failed }
  }

  private async uploadOne(store: RecordingStore, r: ToUpload): Promise<void> {
    const at = () => this.deps.clock.now().toISOString()
    // nothing was recorded (a call cut off before its first chunk): nothing to keep
    if (!r.bytes || !r.sha256) {
      this.repo.stored(r.id, null, at())
      return
    }
    const file = this.abs(r.file)
    if (!existsSync(file)) throw new Error('the local file is missing')
    await store.put(file, r.file.replace(/^recordings\//, ''), {
      contentType: r.mime.split(';')[0],
      sha256: r.sha256,
      recordingId: r.id,
      retentionClass: r.retention_class,
      retainUntil: r.retain_until,
      legalHold: !!r.legal_hold
    })
    this.repo.stored(r.id, r.file.replace(/^recordings\//, ''), at())
  }

  /** Local copies of stored recordings go after the grace period, or sooner, oldest first, while the cache is over its size. */
  private evict(): number {
    const s = this.settings()
    const now = this.deps.clock.now()
    const graceCut = new Date(now.getTime() - s.graceHours * 3_600_000).toISOString()
    let over = this.repo.cachedBytes() - s.cacheMb * 1024 * 1024
    let removed = 0
    let more = true
    while (more) {
      const rows = this.repo.cached(500)
      more = rows.length === 500
      for (const r of rows) {
        if (r.stored_at > graceCut && over <= 0) {
          more = false
          break
        }
        const abs = this.abs(r.file)
        rmSync(abs, { force: true })
        rmSync(peaksFile(abs), { force: true })
        this.repo.localGone(r.id, now.toISOString())
        over -= r.bytes
        removed++
      }
    }
    this.trimCache(s.cacheMb * 1024 * 1024)
    return removed
  }

  /**
   * `storage migrate`: every recording not in the store yet is uploaded now (back-off ignored),
   * with progress; stopped and started again, it goes on where it was (what is stored stays stored).
   */
  async migrate(
    progress: (done: number, total: number, failed: number) => void
  ): Promise<{ uploaded: number; failed: number; total: number }> {
    const store = this.store()
    if (!store) throw new AppError('CONFLICT', 'errors.storageNotS3')
    const total = this.repo.backlog().localOnly
    let uploaded = 0
    let failed = 0
    let afterFailures = new Set<number>()
    progress(0, total, 0)
    for (;;) {
      const batch = this.repo
        .toUpload(this.deps.clock.now().toISOString(), 64, true)
        .filter((r) => !afterFailures.has(r.id))
      if (!batch.length) break
      const r = await this.uploadAll(store, batch)
      uploaded += r.uploaded
      failed += r.failed
      // a recording that failed now is not tried again in this run
      if (r.failed)
        afterFailures = new Set([...afterFailures, ...batch.map((b) => b.id).filter((id) => !this.isStored(id))])
      progress(uploaded, total, failed)
    }
    this.evict()
    return { uploaded, failed, total }
  }

  private isStored(id: number): boolean {
    return !!this.repo.where(id)?.stored_at
  }

  /** A recording's bytes for playback: the local copy while there is one, else from the store (a range of it). */
  async media(
    recordingId: number,
    file: string
  ): Promise<{ size: number; open: (range?: { start: number; end: number }) => Promise<Readable> } | null> {
    if (file && existsSync(file)) {
      const size = statSync(file).size
      return { size, open: (range) => Promise.resolve(createReadStream(file, range)) }
    }
    const w = this.repo.where(recordingId)
    const store = this.store()
    if (!w?.object_key || !store) return null
    const key = w.object_key
    // fetched lately (an export, a package): the cached copy
    const cached = join(this.cacheDir, key)
    if (existsSync(cached))
      return { size: statSync(cached).size, open: (range) => Promise.resolve(createReadStream(cached, range)) }
    return { size: w.bytes, open: (range) => store.read(key, range) }
  }

  /** The store's origin when the seats play from it (the pages' CSP allows it as a media source), else null. */
  seatOrigin(): string | null {
    const r = this.repo.store()
    if (r?.kind !== 's3' || !r.seats_reach) return null
    const u = new URL(r.endpoint)
    return r.path_style ? u.origin : `${u.protocol}//${r.bucket}.${u.host}`
  }

  /** A signed address of the object for a seat that reaches the store itself; null when the hub must serve it. */
  async presigned(recordingId: number, seconds: number): Promise<string | null> {
    const s = this.settings()
    const w = this.repo.where(recordingId)
    const store = this.store()
    if (!store || !s.seatsReach || !w?.object_key || !w.local_gone_at) return null
    return store.presign(w.object_key, seconds)
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string }
  return [e.code, e.message].filter(Boolean).join(': ') || String(err)
}
