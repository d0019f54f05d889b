import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { createCore, type CoreConnection } from '../../electron/core'
import { startHub, type Hub } from '../../electron/server/hub'
import { serveMedia } from '../../electron/main/media-protocol'
import { loginAs, makeCore, quietLogger, ok } from '../helpers/core'

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
let op1: CoreConnection

/** One second of "audio" and its 50 peak frames (L min/max, R min/max as int8). */
function chunk(seed: number) {
  const data = randomBytes(4000 + seed)
  const peaks = Buffer.from(Int8Array.from({ length: 200 }, (_, i) => ((i * 7 + seed) % 200) - 100).buffer)
  return { data, peaks }
}

async function record(conn: CoreConnection, seconds: number, finish = true) {
  const { callId } = await ok<{ callId: number }>(
    conn.invoke('calls.start', { direction: 'outbound', line: 'simulated' })
  )
  const { recordingId } = await ok<{ recordingId: number }>(
    conn.invoke('recordings.start', { callId, mime: 'audio/webm;codecs=opus' })
  )
  const parts = Array.from({ length: seconds }, (_, i) => chunk(i))
  for (const [seq, p] of parts.entries()) {
    await ok(
      conn.invoke('recordings.chunk', {
        recordingId,
        seq,
        data: p.data.toString('base64'),
        peaks: p.peaks.toString('base64'),
        durationMs: (seq + 1) * 1000
      })
    )
  }
  if (finish) await ok(conn.invoke('recordings.finish', { recordingId, durationMs: seconds * 1000 }))
  return {
    callId,
    recordingId,
    audio: Buffer.concat(parts.map((p) => p.data)),
    peaks: Buffer.concat(parts.map((p) => p.peaks))
  }
}

beforeEach(async () => {
  env = await makeCore()
  op1 = await loginAs(env.core, 'op1')
})
afterEach(() => env.cleanup())

describe('recordings', () => {
  it('chunks are appended in order and flushed; finish stores size, SHA-256, peaks and duration', async () => {
    const r = await record(op1, 5)
    const got = await ok<{
      state: string
      bytes: number
      sha256: string
      durationMs: number
      peaks: string
      line: string
    }>(op1.invoke('recordings.get', { id: r.recordingId }))
    expect(got).toMatchObject({ state: 'done', bytes: r.audio.length, durationMs: 5000, line: 'simulated' })
    expect(got.sha256).toBe(createHash('sha256').update(r.audio).digest('hex'))
    expect(Buffer.from(got.peaks, 'base64').equals(r.peaks)).toBe(true)
    const file = env.core.db.prepare('SELECT file FROM recordings WHERE id = ?').pluck().get(r.recordingId) as string
    expect(file).toMatch(/^recordings\/2026\/11\/23\/\d+-[0-9a-f]{8}\.webm$/)
    expect(readFileSync(join(env.dir, file)).equals(r.audio)).toBe(true)
  })

  it('a chunk sent twice is written once; a missing chunk is refused', async () => {
    const { callId } = await ok<{ callId: number }>(op1.invoke('calls.start', { direction: 'outbound', line: 'sip' }))
    const { recordingId } = await ok<{ recordingId: number }>(
      op1.invoke('recordings.start', { callId, mime: 'audio/webm' })
    )
    const c = chunk(1)
    const send = (seq: number) =>
      op1.invoke('recordings.chunk', {
        recordingId,
        seq,
        data: c.data.toString('base64'),
        peaks: c.peaks.toString('base64'),
        durationMs: 1000
      })
    await ok(send(0))
    await ok(send(0))
    expect(await send(2)).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.recordingGap' } })
    const done = await ok<{ bytes: number }>(op1.invoke('recordings.finish', { recordingId, durationMs: 1000 }))
    expect(done.bytes).toBe(c.data.length)
  })

  it('who may listen: the operator to their own, QA and supervisors to all, nobody else', async () => {
    const r = await record(op1, 2)
    const op2 = await loginAs(env.core, 'op2')
    expect(await op2.invoke('recordings.get', { id: r.recordingId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    expect(await op2.invoke('recordings.media', { id: r.recordingId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    expect(
      await op2.invoke('recordings.chunk', { recordingId: r.recordingId, seq: 2, data: '', peaks: '', durationMs: 0 })
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    for (const u of ['qa', 'supervisor'])
      expect((await (await loginAs(env.core, u)).invoke('recordings.get', { id: r.recordingId })).ok).toBe(true)
    for (const u of ['agent_qx1', 'leader_qx'])
      expect(await (await loginAs(env.core, u)).invoke('recordings.media', { id: r.recordingId })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' }
      })
  })

  it('a crash mid-call: on the next start the recording is closed as interrupted with what is on disk', async () => {
    const r = await record(op1, 3, false)
    env.core.close()
    const again = await createCore({ dataDir: env.dir, clock: env.clock, logger: quietLogger, recallEveryMs: null })
    try {
      const row = again.db
        .prepare('SELECT state, bytes, sha256, duration_ms, length(peaks) AS p FROM recordings WHERE id = ?')
        .get(r.recordingId)
      expect(row).toEqual({
        state: 'interrupted',
        bytes: r.audio.length,
        sha256: createHash('sha256').update(r.audio).digest('hex'),
        duration_ms: 3000,
        p: r.peaks.length
      })
      expect(again.db.prepare('SELECT end_cause FROM calls WHERE id = ?').pluck().get(r.callId)).toBe('interrupted')
      // QA can review it: its metrics were computed from what reached the disk
      const qa = await loginAs(again, 'qa')
      const c = await ok<{ recording: { state: string; durationMs: number }; metrics: { hungUpBy: string } }>(
        qa.invoke('qa.context', { recordingId: r.recordingId })
      )
      expect(c.recording).toMatchObject({ state: 'interrupted', durationMs: 3000 })
      expect(c.metrics.hungUpBy).toBe('unknown')
      expect(
        again.db.prepare('SELECT count(*) FROM recording_metrics WHERE recording_id = ?').pluck().get(r.recordingId)
      ).toBe(1)
    } finally {
      again.close()
    }
  })
})

describe('a recording whose window went away', () => {
  it('is closed as interrupted once no chunk came for the stale time, with what reached the disk', async () => {
    const core = await createCore({
      dataDir: join(env.dir, 'stale'),
      clock: env.clock,
      logger: quietLogger,
      recallEveryMs: null,
      recordingStaleMs: 3000
    })
    try {
      const op = await loginAs(core, 'op1')
      const r = await record(op, 2, false)
      await new Promise((res) => setTimeout(res, 1500))
      expect(core.db.prepare('SELECT state FROM recordings WHERE id = ?').pluck().get(r.recordingId)).toBe('recording')
      env.clock.advance(3500)
      await expect
        .poll(() => core.db.prepare('SELECT state FROM recordings WHERE id = ?').pluck().get(r.recordingId), {
          timeout: 5000
        })
        .toBe('interrupted')
      expect(core.db.prepare('SELECT bytes, sha256 FROM recordings WHERE id = ?').get(r.recordingId)).toEqual({
        bytes: r.audio.length,
        sha256: createHash('sha256').update(r.audio).digest('hex')
      })
    } finally {
      core.close()
    }
  })
})

describe('a seat that was only slow (the hang-up must never wedge on it)', () => {
  async function staleCore() {
    const core = await createCore({
      dataDir: join(env.dir, 'slow'),
      clock: env.clock,
      logger: quietLogger,
      recallEveryMs: null,
      recordingStaleMs: 3000
    })
    return { core, op: await loginAs(core, 'op1') }
  }
  const sweptClosed = (core: Awaited<ReturnType<typeof createCore>>, id: number) =>
    expect
      .poll(() => core.db.prepare('SELECT state FROM recordings WHERE id = ?').pluck().get(id), { timeout: 5000 })
      .toBe('interrupted')

  it('a chunk in order after the sweep closed the recording is appended and the recording goes on; finish closes it as done', async () => {
    const { core, op } = await staleCore()
    try {
      const r = await record(op, 2, false)
      env.clock.advance(3500)
      await sweptClosed(core, r.recordingId)
      expect(core.db.prepare('SELECT end_cause FROM calls WHERE id = ?').pluck().get(r.callId)).toBe('interrupted')
      const late = chunk(9)
      const got = await ok<{ bytes: number; dropped?: boolean }>(
        op.invoke('recordings.chunk', {
          recordingId: r.recordingId,
          seq: 2,
          data: late.data.toString('base64'),
          peaks: late.peaks.toString('base64'),
          durationMs: 3000
        })
      )
      expect(got).toEqual({ bytes: r.audio.length + late.data.length })
      // the call's end that the sweep wrote is taken back: the seat says when the call ends
      expect(core.db.prepare('SELECT ended_at, end_cause FROM calls WHERE id = ?').get(r.callId)).toEqual({
        ended_at: null,
        end_cause: null
      })
      await ok(op.invoke('calls.end', { callId: r.callId, cause: 'operator', answered: true }))
      const done = await ok<{ state: string; bytes: number; sha256: string }>(
        op.invoke('recordings.finish', { recordingId: r.recordingId, durationMs: 3000, chunks: 3 })
      )
      const audio = Buffer.concat([r.audio, late.data])
      expect(done).toMatchObject({
        state: 'done',
        bytes: audio.length,
        sha256: createHash('sha256').update(audio).digest('hex')
      })
      expect(core.db.prepare('SELECT end_cause FROM calls WHERE id = ?').pluck().get(r.callId)).toBe('operator')
      expect(
        core.db
          .prepare("SELECT count(*) FROM audit_log WHERE action = 'recordings.resumed' AND entity_id = ?")
          .pluck()
          .get(String(r.recordingId))
      ).toBe(1)
    } finally {
      core.close()
    }
  })

  it('finish with every chunk in, after the sweep closed it, makes it complete again', async () => {
    const { core, op } = await staleCore()
    try {
      const r = await record(op, 2, false)
      env.clock.advance(3500)
      await sweptClosed(core, r.recordingId)
      expect(
        await ok(op.invoke('recordings.finish', { recordingId: r.recordingId, durationMs: 2000, chunks: 2 }))
      ).toMatchObject({ state: 'done', bytes: r.audio.length })
      // without the count (or with fewer chunks than stored) it stays as the sweep left it
      const r2 = await record(op, 2, false)
      env.clock.advance(3500)
      await sweptClosed(core, r2.recordingId)
      expect(
        await ok(op.invoke('recordings.finish', { recordingId: r2.recordingId, durationMs: 2000, chunks: 5 }))
      ).toMatchObject({ state: 'interrupted' })
    } finally {
      core.close()
    }
  })

  it('a chunk for a finished recording is acknowledged and dropped, never an error, and changes nothing', async () => {
    const r = await record(op1, 2)
    const before = env.core.db
      .prepare('SELECT state, bytes, sha256, chunks FROM recordings WHERE id = ?')
      .get(r.recordingId)
    const c = chunk(3)
    for (const seq of [2, 7]) {
      const got = await op1.invoke('recordings.chunk', {
        recordingId: r.recordingId,
        seq,
        data: c.data.toString('base64'),
        peaks: c.peaks.toString('base64'),
        durationMs: 9000
      })
      expect(got).toEqual({ ok: true, value: { bytes: r.audio.length, dropped: true } })
    }
    expect(
      env.core.db.prepare('SELECT state, bytes, sha256, chunks FROM recordings WHERE id = ?').get(r.recordingId)
    ).toEqual(before)
    expect(
      readFileSync(
        join(
          env.dir,
          env.core.db.prepare('SELECT file FROM recordings WHERE id = ?').pluck().get(r.recordingId) as string
        )
      ).equals(r.audio)
    ).toBe(true)
  })
})

describe('streaming a recording', () => {
  let hub: Hub
  beforeEach(async () => {
    hub = await startHub({ core: env.core, port: 0, staticDir: null })
  })
  afterEach(async () => {
    await hub.close()
  })

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>((resolve, reject) => {
      const u = new URL(hub.url)
      const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
        const parts: Buffer[] = []
        res.on('data', (d: Buffer) => parts.push(d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), headers: res.headers }))
      })
      req.on('error', reject)
      req.end()
    })

  it('the hub serves byte ranges under a grant; no grant, an expired one or a path trick gets nothing', async () => {
    const r = await record(op1, 3)
    const qa = await loginAs(env.core, 'qa')
    const { path } = await ok<{ path: string }>(qa.invoke('recordings.media', { id: r.recordingId }))
    const whole = await get(path)
    expect(whole.status).toBe(200)
    expect(whole.body.equals(r.audio)).toBe(true)
    expect(whole.headers['accept-ranges']).toBe('bytes')
    const part = await get(path, { Range: 'bytes=100-199' })
    expect(part.status).toBe(206)
    expect(part.headers['content-range']).toBe(`bytes 100-199/${r.audio.length}`)
    expect(part.body.equals(r.audio.subarray(100, 200))).toBe(true)
    const tail = await get(path, { Range: 'bytes=-50' })
    expect(tail.body.equals(r.audio.subarray(r.audio.length - 50))).toBe(true)
    expect((await get(path, { Range: `bytes=${r.audio.length + 10}-` })).status).toBe(416)
    expect((await get('/api/media/not-a-token')).status).toBe(404)
    expect((await get('/api/media/../../leadline.db')).status).toBe(404)
    expect((await get('/api/media/%2e%2e%2fleadline.db')).status).toBe(404)
    env.clock.advance(3_600_001)
    expect((await get(path)).status).toBe(404)
    // every listen is in the audit log
    expect(env.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'recordings.listen'").pluck().get()).toBe(
      1
    )
  })

  it('the desktop’s privileged protocol serves the same ranges', async () => {
    const r = await record(op1, 2)
    const { token } = await ok<{ token: string }>(op1.invoke('recordings.media', { id: r.recordingId }))
    const res = await serveMedia(
      env.core,
      new Request(`leadline-media://media/${token}`, { headers: { range: 'bytes=0-9' } })
    )
    expect(res.status).toBe(206)
    expect(Buffer.from(await res.arrayBuffer()).equals(r.audio.subarray(0, 10))).toBe(true)
    expect((await serveMedia(env.core, new Request('leadline-media://media/../leadline.db'))).status).toBe(404)
  })
})
