import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import * as Minio from 'minio'

/** What an object carries besides its bytes: its checksum, class and how long it must be kept. */
export interface ObjectMeta {
  contentType: string
  sha256: string
  recordingId: number
  retentionClass: string
  /** Nobody deletes it before then (Object Lock, COMPLIANCE mode, where the bucket has it). */
  retainUntil: string | null
  legalHold: boolean
}

export interface StoreCheck {
  ok: boolean
  /** Each step, in order: reach, bucket, write, read, delete, clock, lock. */
  steps: { step: string; ok: boolean; detail: string }[]
  /** The store's clock minus ours (ms), from its Date header. */
  skewMs: number | null
  objectLock: boolean
}

/**
 * Where finished recordings are archived. The local folder is the default (nothing is uploaded:
 * the folder is the archive, as it always was); S3 is any S3-compatible store. Calls are always
 * written to the local folder first; the archive job moves them here.
 */
export interface RecordingStore {
  readonly kind: 'local' | 's3'
  /** Uploads a file and checks what the store holds: size, each part's MD5, the ETag, the SHA-256 kept with it. */
  put(file: string, key: string, meta: ObjectMeta): Promise<{ versionId: string | null }>
  /** The object's bytes, whole or a range (inclusive). */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>
  head(key: string): Promise<{ bytes: number; sha256: string | null } | null>
  /** Sets (or extends) the class, retain-until and legal hold of a stored object. */
  retain(key: string, meta: Pick<ObjectMeta, 'retentionClass' | 'retainUntil' | 'legalHold'>): Promise<void>
  remove(key: string): Promise<void>
  /** A URL that reads the object for `seconds`, signed (no key in it). */
  presign(key: string, seconds: number): Promise<string>
  check(): Promise<StoreCheck>
}

export interface S3Config {
  endpoint: string
  region: string
  bucket: string
  prefix: string
  pathStyle: boolean
  accessKey: string
  secretKey: string
  objectLock: boolean
}

/** Parts of a multipart upload; a file up to this size goes in one PUT. */
export const PART_BYTES = 8 * 1024 * 1024

/**
 * An S3-compatible store through the `minio` client: one small dependency, maintained, running on
 * the hub's Node 20 and the desktop's Node 22 alike (the AWS SDK v3 announces the end of its Node
 * 20 support), and it signs every payload's SHA-256 over plain http (SigV4), so the store checks the
 * bytes it receives. Uploads are ours, not the client's automatic multipart: each part carries its
 * Content-MD5, and the object's ETag is checked against the one the parts must give.
 */
export class S3Store implements RecordingStore {
  readonly kind = 's3'
  private client: Minio.Client

  constructor(private c: S3Config) {
    const u = new URL(c.endpoint)
    const secure = u.protocol === 'https:'
    this.client = new Minio.Client({
      endPoint: u.hostname,
      port: u.port ? Number(u.port) : secure ? 443 : 80,
      useSSL: secure,
      accessKey: c.accessKey,
      secretKey: c.secretKey,
      region: c.region,
      pathStyle: c.pathStyle
    })
  }

  key(rel: string): string {
    return this.c.prefix ? `${this.c.prefix.replace(/\/+$/, '')}/${rel}` : rel
  }

  private headers(meta: ObjectMeta): Record<string, string> {
    const h: Record<string, string> = {
      'Content-Type': meta.contentType,
      'x-amz-meta-sha256': meta.sha256,
      'x-amz-meta-recording-id': String(meta.recordingId),
      'x-amz-tagging': tagging(meta)
    }
    if (this.c.objectLock) {
      if (meta.retainUntil) {
        h['x-amz-object-lock-mode'] = 'COMPLIANCE'
        h['x-amz-object-lock-retain-until-date'] = meta.retainUntil
      }
      if (meta.legalHold) h['x-amz-object-lock-legal-hold'] = 'ON'
    }
    return h
  }

  async put(file: string, key: string, meta: ObjectMeta): Promise<{ versionId: string | null }> {
    const size = statSync(file).size
    const sha = createHash('sha256')
    const md5s: Buffer[] = []
    const bucketName = this.c.bucket
    const objectName = this.key(key)
    let versionId: string | null
    if (size <= PART_BYTES) {
      const buf = await readPart(file, 0, size)
      sha.update(buf)
      const md5 = createHash('md5').update(buf).digest()
      md5s.push(md5)
      if (sha.digest('hex') !== meta.sha256) throw new Error('the local file does not match its stored SHA-256')
      const res = await this.client.makeRequestAsync(
        {
          method: 'PUT',
          bucketName,
          objectName,
          headers: { ...this.headers(meta), 'Content-Length': String(size), 'Content-MD5': md5.toString('base64') }
        },
        buf,
        [200]
      )
      res.resume()
      const etag = String(res.headers.etag ?? '').replace(/"/g, '')
      if (etag && etag !== md5.toString('hex')) throw new Error(`the store's ETag ${etag} is not the file's MD5`)
      versionId = (res.headers['x-amz-version-id'] as string | undefined) ?? null
      // the store computed the MD5 of what it keeps and it is ours (and it checked the signed SHA-256
      // of the body): verified without another round trip
      if (etag) return { versionId }
    } else {
      const uploadID = await this.client.initiateNewMultipartUpload(bucketName, objectName, this.headers(meta))
      try {
        const etags: { part: number; etag: string }[] = []
        for (let part = 1, at = 0; at < size; part++, at += PART_BYTES) {
          const buf = await readPart(file, at, Math.min(PART_BYTES, size - at))
          sha.update(buf)
          const md5 = createHash('md5').update(buf).digest()
          md5s.push(md5)
          const r = await this.client.uploadPart(
            {
              bucketName,
              objectName,
              uploadID,
              partNumber: part,
              headers: { 'Content-Length': String(buf.length), 'Content-MD5': md5.toString('base64') }
            },
            buf
          )
          if (r.etag && r.etag !== md5.toString('hex')) throw new Error(`part ${part}: the store's ETag is not its MD5`)
          etags.push({ part, etag: md5.toString('hex') })
        }
        if (sha.digest('hex') !== meta.sha256) throw new Error('the local file does not match its stored SHA-256')
        // Ceph RGW 16 answers an empty ETag here (its bug): the object is checked by a HEAD below
        const done = await this.client.completeMultipartUpload(bucketName, objectName, uploadID, etags)
        versionId = done.versionId ?? null
      } catch (err) {
        await this.client.abortMultipartUpload(bucketName, objectName, uploadID).catch(() => undefined)
        throw err
      }
    }
    // what the store now holds is what we sent: size, the SHA-256 kept with it, and the ETag its parts give
    // (a multipart upload's, or a store that answered a PUT without an ETag)
    const st = await this.client.statObject(bucketName, objectName, versionId ? { versionId } : {})
    const expected =
      md5s.length === 1 && size <= PART_BYTES
        ? md5s[0].toString('hex')
        : `${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${md5s.length}`
    if (st.size !== size) throw new Error(`the store holds ${st.size} bytes, the file has ${size}`)
    if (st.metaData.sha256 !== meta.sha256) throw new Error('the store lost the SHA-256 sent with the object')
    if (st.etag && st.etag !== expected) throw new Error(`the store's ETag ${st.etag} is not ${expected}`)
    return { versionId }
  }

  read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    return range
      ? this.client.getPartialObject(this.c.bucket, this.key(key), range.start, range.end - range.start + 1)
      : this.client.getObject(this.c.bucket, this.key(key))
  }

  async head(key: string): Promise<{ bytes: number; sha256: string | null } | null> {
    try {
      const st = await this.client.statObject(this.c.bucket, this.key(key))
      return { bytes: st.size, sha256: (st.metaData.sha256 as string | undefined) ?? null }
    } catch (err) {
      if ((err as { code?: string }).code === 'NotFound' || (err as { code?: string }).code === 'NoSuchKey') return null
      throw err
    }
  }

  async retain(key: string, meta: Pick<ObjectMeta, 'retentionClass' | 'retainUntil' | 'legalHold'>): Promise<void> {
    const objectName = this.key(key)
    await this.client.setObjectTagging(this.c.bucket, objectName, tags(meta))
    if (!this.c.objectLock) return
    if (meta.retainUntil) {
      // COMPLIANCE retention can only be lengthened: a shorter date than the object has is kept as it was
      const cur = await this.client.getObjectRetention(this.c.bucket, objectName).catch(() => null)
      const curUntil = cur && 'retainUntilDate' in cur ? String(cur.retainUntilDate) : null
      if (!curUntil || new Date(curUntil).getTime() < new Date(meta.retainUntil).getTime())
        await this.client.putObjectRetention(this.c.bucket, objectName, {
          versionId: '',
          mode: Minio.RETENTION_MODES.COMPLIANCE,
          retainUntilDate: meta.retainUntil
        })
    }
    await this.client.setObjectLegalHold(this.c.bucket, objectName, {
      status: meta.legalHold ? Minio.LEGAL_HOLD_STATUS.ENABLED : Minio.LEGAL_HOLD_STATUS.DISABLED
    })
  }

  async remove(key: string): Promise<void> {
    const objectName = this.key(key)
    if (!this.c.objectLock) {
      await this.client.removeObject(this.c.bucket, objectName)
      return
    }
    // with versioning (Object Lock has it), a plain delete only hides the data: every version goes
    const versions: string[] = []
    await new Promise<void>((resolve, reject) => {
      const s = this.client.listObjects(this.c.bucket, objectName, false, { IncludeVersion: true })
      s.on('data', (o: { name?: string; versionId?: string }) => {
        if (o.name === objectName && o.versionId) versions.push(o.versionId)
      })
      s.on('error', reject)
      s.on('end', () => resolve())
    })
    for (const versionId of versions) await this.client.removeObject(this.c.bucket, objectName, { versionId })
  }

  presign(key: string, seconds: number): Promise<string> {
    return this.client.presignedGetObject(this.c.bucket, this.key(key), seconds)
  }

  async check(): Promise<StoreCheck> {
    const steps: StoreCheck['steps'] = []
    let skewMs: number | null = null
    let objectLock = false
    const step = async (name: string, fn: () => Promise<string>): Promise<boolean> => {
      try {
        steps.push({ step: name, ok: true, detail: await fn() })
        return true
      } catch (err) {
        const e = err as { code?: string; message?: string }
        steps.push({ step: name, ok: false, detail: [e.code, e.message].filter(Boolean).join(': ') })
        return false
      }
    }
    const probe = this.key(`.leadline-check/${Date.now().toString(36)}`)
    const body = Buffer.from(`leadline storage check ${new Date().toISOString()}`)
    const ok =
      (await step('reach', async () => {
        const t0 = Date.now()
        const r = await fetch(this.c.endpoint, { method: 'HEAD', signal: AbortSignal.timeout(5000) })
        const date = r.headers.get('date')
        if (date) skewMs = new Date(date).getTime() - Math.round((t0 + Date.now()) / 2)
        return `HTTP ${r.status}`
      })) &&
      (await step('bucket', async () => {
        if (!(await this.client.bucketExists(this.c.bucket))) throw new Error(`no bucket ${this.c.bucket}`)
        const lock = await (
          this.client.getObjectLockConfig(this.c.bucket) as unknown as Promise<{ objectLockEnabled?: string }>
        ).catch(() => null)
        objectLock = lock?.objectLockEnabled === 'Enabled'
        return this.c.bucket
      })) &&
      (await step('write', async () => {
        await this.client.putObject(this.c.bucket, probe, body, body.length, { 'Content-Type': 'text/plain' })
        return probe
      })) &&
      (await step('read', async () => {
        const chunks: Buffer[] = []
        for await (const c of await this.client.getObject(this.c.bucket, probe)) chunks.push(c as Buffer)
        if (!Buffer.concat(chunks).equals(body)) throw new Error('read back differs')
        return `${body.length} bytes`
      })) &&
      (await step('delete', async () => {
        await this.client.removeObject(this.c.bucket, probe)
        return 'ok'
      }))
    steps.push({
      step: 'clock',
      ok: skewMs !== null && Math.abs(skewMs) < 5 * 60_000,
      detail: skewMs === null ? 'no Date header' : `${Math.round(skewMs / 1000)} s`
    })
    steps.push({
      step: 'lock',
      ok: true,
      detail: objectLock ? 'Object Lock: COMPLIANCE retention and legal holds' : 'no Object Lock on the bucket'
    })
    return { ok: ok && steps.every((s) => s.ok), steps, skewMs, objectLock }
  }
}

function tags(meta: Pick<ObjectMeta, 'retentionClass' | 'retainUntil' | 'legalHold'>): Record<string, string> {
  return {
    class: meta.retentionClass,
    'retain-until': meta.retainUntil ? meta.retainUntil.slice(0, 10) : 'none',
    'legal-hold': meta.legalHold ? 'on' : 'off'
  }
}

function tagging(meta: ObjectMeta): string {
  return new URLSearchParams(tags(meta)).toString()
}

async function readPart(file: string, at: number, length: number): Promise<Buffer> {
  const fh = await open(file, 'r')
  try {
    const buf = Buffer.alloc(length)
    let got = 0
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, at + got)
      if (!bytesRead) throw new Error('the file ended early')
      got += bytesRead
    }
    return buf
  } finally {
    await fh.close()
  }
}

/** The local folder as the archive: what is there is read from there (the default; nothing is uploaded). */
export class LocalStore implements Pick<RecordingStore, 'kind' | 'read'> {
  readonly kind = 'local'
  constructor(private abs: (rel: string) => string) {}
  read(rel: string, range?: { start: number; end: number }): Promise<Readable> {
    return Promise.resolve(createReadStream(this.abs(rel), range))
  }
}
