import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import JSZip from 'jszip'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { SYSTEM_USER } from '../../electron/core/invoke'
import { startHub, type Hub } from '../../electron/server/hub'
import { loginAs, makeCore, ok, userIdOf } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { startObjectStore, type ObjectStore } from '../helpers/object-store'
import { peaksOf, recordCall } from '../helpers/peaks'

let s3: ObjectStore
let env: Awaited<ReturnType<typeof makeCore>>
let admin: CoreConnection
let op1: CoreConnection
const sh = (local: string) => new Date(`${local}+08:00`)
const row = <T>(sql: string, ...p: unknown[]) => env.core.db.prepare(sql).get(...p) as T
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  s3 = await startObjectStore()
}, 120_000)
afterAll(() => s3?.stop())

beforeEach(async (ctx) => {
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  admin = await loginAs(env.core, 'admin')
  op1 = await loginAs(env.core, 'op1')
  onTestFailed(() => s3.keepLogs(ctx.task.name.slice(0, 40).replace(/\W+/g, '-')))
})
afterEach(() => env.cleanup())

async function useBucket(bucket: string, objectLock = false, over: Record<string, unknown> = {}) {
  await s3.bucket(bucket, objectLock)
  return ok<{ objectLock: boolean }>(
    admin.invoke('storage.set', {
      kind: 's3',
      endpoint: s3.endpoint,
      region: s3.region,
      bucket,
      prefix: 'centre-1',
      pathStyle: true,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      seatsReach: false,
      graceHours: 1,
      cacheMb: 100,
      ...over
    })
  )
}

/** A call of op1 on a new lead, recorded with these bytes as its audio. */
async function recordedCall(
  audio: Buffer,
  first: number
): Promise<{ leadId: number; callId: number; recordingId: number }> {
  const [leadId] = insertLeads(env.core.db, 1, { first })
  await ok(op1.invoke('desk.next', {}))
  const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId, line: 'sip' }))
  const recordingId = await recordCall(op1, callId, peaksOf(4, [[0, 2]], [[2, 4]]), audio)
  await ok(op1.invoke('desk.outcome', { clientId: `st-${first}-00000000`, leadId, callId, disposition: 'no_answer' }))
  return { leadId, callId, recordingId }
}

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const c of await s3.client.getObject(bucket, key)) parts.push(c as Buffer)
  return Buffer.concat(parts)
}

describe('recordings in object storage (a real Ceph RADOS Gateway)', () => {
  it('a finished call goes to the bucket, checked end to end; its local copy goes after the grace period; playback seeks from the bucket', async () => {
    await useBucket('rec-a')
    const small = randomBytes(300_000)
    const big = randomBytes(9 * 1024 * 1024 + 12_345) // past one part: a multipart upload
    const a = await recordedCall(small, 100)
    const b = await recordedCall(big, 101)
    const before = await ok<{ localOnly: number }>(admin.invoke('storage.status', {}))
    expect(before.localOnly).toBe(2)
    expect(await env.core.recordings.archive.tick()).toMatchObject({ uploaded: 2, failed: 0 })
    for (const [r, audio] of [
      [a, small],
      [b, big]
    ] as const) {
      const rec = row<{ file: string; sha256: string; object_key: string }>(
        'SELECT file, sha256, object_key FROM recordings WHERE id = ?',
        r.recordingId
      )
      expect(rec.sha256).toBe(sha(audio))
      const stored = await objectBytes('rec-a', `centre-1/${rec.object_key}`)
      expect(sha(stored)).toBe(rec.sha256)
      const st = await s3.client.statObject('rec-a', `centre-1/${rec.object_key}`)
      expect(st.metaData.sha256).toBe(rec.sha256)
      expect(existsSync(join(env.dir, rec.file))).toBe(true)
    }
    // the backup covers the database; the recordings are the store's to keep
    const backup = await env.core.backupAll(join(env.dir, 'backups'), 'a long passphrase 2026', 'test')
    expect(backup.recordings).toMatchObject({ files: 0, copied: 0 })
    // the grace period (1 h) passes: the local copies go, the bucket has them
    env.clock.advance(59 * 60_000)
    expect((await env.core.recordings.archive.tick()).removedLocal).toBe(0)
    env.clock.advance(2 * 60_000)
    expect((await env.core.recordings.archive.tick()).removedLocal).toBe(2)
    const fileB = row<{ file: string }>('SELECT file FROM recordings WHERE id = ?', b.recordingId).file
    expect(existsSync(join(env.dir, fileB))).toBe(false)
    const status = await ok<{ localOnly: number; stored: number; cachedBytes: number }>(
      admin.invoke('storage.status', {})
    )
    expect(status).toMatchObject({ localOnly: 0, stored: 2, cachedBytes: 0 })
    // a customer's data export still holds the call: fetched back from the bucket (checked) into the cache
    const out = join(env.dir, 'customer.zip')
    const phone = `139${String(101).padStart(8, '0')}`
    expect(await env.core.privacy.exportTo(phone, out, SYSTEM_USER, 'test')).toMatchObject({ recordings: 1 })
    const zip = await JSZip.loadAsync(readFileSync(out))
    const inZip = Object.keys(zip.files).find((f) => f.startsWith('recordings/'))!
    expect(sha(await zip.file(inZip)!.async('nodebuffer'))).toBe(sha(big))
    // playback through the hub, from the bucket: the whole call, and a seek into the middle (a range)
    const hub: Hub = await startHub({ core: env.core, port: 0, staticDir: null })
    try {
      const m = await ok<{ path: string; url: string | null }>(op1.invoke('recordings.media', { id: b.recordingId }))
      expect(m.url).toBeNull() // the seats do not reach the store: the hub serves it
      const whole = await fetch(`${hub.url}${m.path}`)
      expect(whole.status).toBe(200)
      expect(sha(Buffer.from(await whole.arrayBuffer()))).toBe(sha(big))
      const seek = await fetch(`${hub.url}${m.path}`, { headers: { Range: 'bytes=5000000-5099999' } })
      expect(seek.status).toBe(206)
      expect(seek.headers.get('content-range')).toBe(`bytes 5000000-5099999/${big.length}`)
      expect(Buffer.from(await seek.arrayBuffer()).equals(big.subarray(5_000_000, 5_100_000))).toBe(true)
      // another operator may not listen (the same check as a local recording)
      const op2 = await loginAs(env.core, 'op2')
      expect((await op2.invoke('recordings.media', { id: b.recordingId })).ok).toBe(false)
    } finally {
      await hub.close()
    }
    // seats that reach the store get a signed address of the object, valid for a while
    await useBucket('rec-a2', false, { seatsReach: true })
    // the hub's pages may play from that store (their policy allows it as a media source, nothing else)
    const hub2: Hub = await startHub({ core: env.core, port: 0, staticDir: null })
    const csp = (await fetch(`${hub2.url}/healthz`)).headers.get('content-security-policy') ?? ''
    await hub2.close()
    expect(csp).toContain(`media-src 'self' blob: mediastream: leadline-media: ${s3.endpoint}`)
    expect(csp).toContain("connect-src 'self' ws: wss:")
    const c = await recordedCall(small, 102)
    await env.core.recordings.archive.tick()
    env.clock.advance(61 * 60_000)
    await env.core.recordings.archive.tick()
    const signed = await ok<{ url: string | null }>(op1.invoke('recordings.media', { id: c.recordingId }))
    expect(signed.url).toContain('X-Amz-Signature=')
    expect(sha(Buffer.from(await (await fetch(signed.url!)).arrayBuffer()))).toBe(sha(small))
  }, 120_000)

  it('a store that does not work is refused and nothing changes; the store away for a while: calls go on, the backlog shows and drains', async () => {
    await s3.bucket('rec-b')
    const bad = await admin.invoke('storage.set', {
      kind: 's3',
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: 'rec-b',
      prefix: '',
      pathStyle: true,
      accessKey: s3.accessKey,
      secretKey: 'not-the-secret',
      seatsReach: false,
      graceHours: 1,
      cacheMb: 100
    })
    expect(bad.ok).toBe(false)
    expect(!bad.ok && bad.error.message).toContain('对象存储检查未通过')
    expect((await ok<{ kind: string }>(admin.invoke('storage.status', {}))).kind).toBe('local')
    await useBucket('rec-b2')
    await s3.stopGateway()
    try {
      const calls = []
      for (let i = 0; i < 3; i++) calls.push(await recordedCall(randomBytes(50_000), 200 + i))
      expect(await env.core.recordings.archive.tick()).toMatchObject({ uploaded: 0, failed: 3 })
      const away = await ok<{ localOnly: number; failing: number; lastError: string | null }>(
        admin.invoke('storage.status', {})
      )
      expect(away).toMatchObject({ localOnly: 3, failing: 3 })
      expect(away.lastError).toBeTruthy()
      // the local copies are the only ones: the grace period does not touch them
      env.clock.advance(2 * 3_600_000)
      expect((await env.core.recordings.archive.tick()).removedLocal).toBe(0)
    } finally {
      await s3.startGateway()
    }
    // back: the backlog drains at the next try (back-off), nothing lost
    env.clock.advance(10 * 60_000)
    expect(await env.core.recordings.archive.tick()).toMatchObject({ uploaded: 3, failed: 0 })
    expect(await ok(admin.invoke('storage.status', {}))).toMatchObject({ localOnly: 0, failing: 0, stored: 3 })
    const keys = await s3.keys('rec-b2', '')
    expect(keys.filter((k) => k.endsWith('.webm'))).toHaveLength(3)
  }, 120_000)

  it('retention: a signed sale is locked in the bucket (COMPLIANCE), a complaint holds a call, the retention run deletes expired objects and leaves the rest', async () => {
    const set = await useBucket('rec-c', true)
    expect(set.objectLock).toBe(true)
    const sale = await recordedCall(randomBytes(40_000), 300)
    const plain = await recordedCall(randomBytes(40_000), 301)
    const held = await recordedCall(randomBytes(40_000), 302)
    // the sale signed at the visit: its recordings kept 10 years (the same path the visit report takes)
    const until = new Date('2036-11-23T02:00:00Z').toISOString()
    env.core.dispatch.repo.retainRecordings(sale.leadId, 'sale_10y', until)
    const qa = await loginAs(env.core, 'qa')
    await ok(
      qa.invoke('complaints.open', {
        category: 'attitude',
        channel: 'hotline',
        summary: '客户投诉态度',
        callId: held.callId
      })
    )
    const t = await env.core.recordings.archive.tick()
    expect(t).toMatchObject({ uploaded: 3, failed: 0 })
    const key = (id: number) =>
      `centre-1/${row<{ object_key: string }>('SELECT object_key FROM recordings WHERE id = ?', id).object_key}`
    const ret = await s3.client.getObjectRetention('rec-c', key(sale.recordingId))
    expect(ret).toMatchObject({ mode: 'COMPLIANCE' })
    expect(new Date(String((ret as { retainUntilDate: string }).retainUntilDate)).getTime()).toBe(
      new Date(until).getTime()
    )
    expect(await s3.client.getObjectTagging('rec-c', key(sale.recordingId))).toEqual(
      expect.arrayContaining([{ Key: 'class', Value: 'sale_10y' }])
    )
    expect(await s3.client.getObjectLegalHold('rec-c', key(held.recordingId))).toEqual({ Status: 'ON' })
    // nobody deletes a signed sale's recording early, not even with the store's own keys
    const v = (await s3.client.statObject('rec-c', key(sale.recordingId))).versionId!
    await expect(s3.client.removeObject('rec-c', key(sale.recordingId), { versionId: v })).rejects.toMatchObject({
      code: 'AccessDenied'
    })
    // a year and more later: the retention run removes the unsigned lead not under complaint; its object goes
    const plainKey = key(plain.recordingId)
    env.clock.advance(400 * 86_400_000)
    const report = env.core.retention.run(false, 'test')
    expect(report.removed.recordings).toBe(1)
    expect(row<{ n: number }>('SELECT count(*) AS n FROM store_deletes').n).toBe(1)
    expect(await env.core.recordings.archive.tick()).toMatchObject({ deleted: 1 })
    await expect(s3.client.statObject('rec-c', plainKey)).rejects.toMatchObject({ code: 'NotFound' })
    expect((await s3.client.statObject('rec-c', key(sale.recordingId))).size).toBe(40_000)
    expect((await s3.client.statObject('rec-c', key(held.recordingId))).size).toBe(40_000)
  }, 120_000)

  it('`leadline storage` sets the store, checks it, and migrates an archive of 1,000 recordings with progress, going on after a kill', async () => {
    // an existing archive on the local folder: 1,000 finished recordings
    const opId = userIdOf(env.core, 'op1')
    const db = env.core.db
    const shas: string[] = []
    db.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        const audio = randomBytes(8_000 + i)
        const rel = `recordings/2026/10/01/${i + 1}-m.webm`
        mkdirSync(join(env.dir, 'recordings/2026/10/01'), { recursive: true })
        writeFileSync(join(env.dir, rel), audio)
        shas.push(sha(audio))
        const callId = db
          .prepare(
            "INSERT INTO calls (operator_id, direction, line, started_at, ended_at) VALUES (?, 'outbound', 'sip', '2026-10-01T02:00:00Z', '2026-10-01T02:01:00Z')"
          )
          .run(opId).lastInsertRowid
        db.prepare(
          `INSERT INTO recordings (call_id, operator_id, file, mime, state, started_at, ended_at, duration_ms, bytes, sha256)
           VALUES (?, ?, ?, 'audio/webm;codecs=opus', 'done', '2026-10-01T02:00:00Z', '2026-10-01T02:01:00Z', 60000, ?, ?)`
        ).run(callId, opId, rel, audio.length, shas[i])
      }
    })()
    env.core.close()
    await s3.bucket('rec-m')
    const CLI = resolve('out/main/cli.js')
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args, '--data', env.dir, '--json'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, LANG: 'C' }
      })
      return { code: r.status, json: JSON.parse(r.stdout.trim().split('\n').pop() || 'null'), stderr: r.stderr }
    }
    const secretFile = join(env.dir, 'secret.txt')
    writeFileSync(secretFile, s3.secretKey)
    const set = run([
      'storage',
      'set',
      's3',
      '--endpoint',
      s3.endpoint,
      '--bucket',
      'rec-m',
      '--region',
      s3.region,
      '--access-key',
      s3.accessKey,
      '--secret-key-file',
      secretFile,
      '--prefix',
      'hub',
      '--path-style'
    ])
    expect(set.code, set.stderr).toBe(0)
    expect(set.json).toMatchObject({ kind: 's3', bucket: 'rec-m', localOnly: 1000, secretSet: true })
    const check = run(['storage', 'check'])
    expect(check.code, check.stderr).toBe(0)
    expect(check.json).toMatchObject({ ok: true, localOnly: 1000 })
    expect(check.json.steps.map((x: { step: string }) => x.step)).toEqual([
      'reach',
      'bucket',
      'write',
      'read',
      'delete',
      'clock',
      'lock'
    ])
    // migrate, killed part way through
    const child = spawn(process.execPath, [CLI, 'storage', 'migrate', '--data', env.dir, '--json'], {
      env: { ...process.env, LANG: 'C' }
    })
    let progress: { done: number; total: number }[] = []
    await new Promise<void>((res) => {
      child.stderr.on('data', (d: Buffer) => {
        for (const line of d
          .toString()
          .split('\n')
          .filter((l) => l.startsWith('{')))
          progress.push((JSON.parse(line) as { progress: { done: number; total: number } }).progress)
        if (progress.some((p) => p.done >= 100)) child.kill('SIGKILL')
      })
      child.on('exit', () => res())
    })
    expect(progress[0]).toEqual({ done: 0, total: 1000, failed: 0 })
    const partial = run(['storage', 'check']).json.localOnly as number
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(1000)
    // again: it goes on where it was
    const again = run(['storage', 'migrate'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.json).toMatchObject({ total: partial, uploaded: partial, failed: 0, localOnly: 0 })
    progress = again.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { progress: { done: number; total: number } }).progress)
    expect(progress[progress.length - 1]).toMatchObject({ done: partial, total: partial })
    const keys = await s3.keys('rec-m', 'hub/')
    expect(keys).toHaveLength(1000)
    for (const i of [0, 499, 999])
      expect(sha(await objectBytes('rec-m', `hub/2026/10/01/${i + 1}-m.webm`))).toBe(shas[i])
  }, 300_000)
})
