import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { join, resolve } from 'node:path'
import { createCore } from '../../electron/core'
import { startHub, type Hub } from '../../electron/server/hub'
import { loginAs, makeCore, ok, quietLogger, tempDir } from '../helpers/core'
import { HubClient } from '../helpers/ws-client'

const CLI = resolve('out/main/cli.js')
const DEMO_PASSWORD = 'demo1234'

describe('what the hub says before anyone logs in', () => {
  let env: Awaited<ReturnType<typeof makeCore>>
  beforeEach(async () => {
    env = await makeCore()
  })
  afterEach(() => env.cleanup())

  it('system.info tells the login page what it needs, and versions only to a logged-in user', async () => {
    const anon = await ok<Record<string, unknown>>(env.core.connect({ source: 'x' }).invoke('system.info', {}))
    expect(Object.keys(anon).sort()).toEqual([
      'appName',
      'demoAccounts',
      'demoMode',
      'needsFirstAdmin',
      'serverTime',
      'setupCodeRequired'
    ])
    const me = await ok<Record<string, unknown>>((await loginAs(env.core, 'op1')).invoke('system.info', {}))
    expect(me).toMatchObject({
      appVersion: expect.any(String),
      schemaVersion: expect.any(Number),
      sqliteVersion: expect.any(String),
      host: 'desktop'
    })
  })

  it('without demo logins (a hub on the LAN), demo accounts neither log in nor show on the login page', async () => {
    env.core.close()
    const lan = await createCore({
      dataDir: env.dir,
      clock: env.clock,
      logger: quietLogger,
      recallEveryMs: null,
      demoLogins: false
    })
    try {
      const info = await ok<{ demoAccounts: unknown[] }>(lan.connect({ source: 'x' }).invoke('system.info', {}))
      expect(info.demoAccounts).toEqual([])
      expect(
        await lan.connect({ source: 'x' }).invoke('auth.login', { username: 'op1', password: DEMO_PASSWORD })
      ).toMatchObject({ ok: false, error: { key: 'errors.badCredentials' } })
      // an account whose password was changed logs in as usual
      const admin = lan.connectSystem('test')
      const users = await ok<{ id: number; username: string }[]>(admin.invoke('users.list', {}))
      await ok(
        admin.invoke('users.resetPassword', {
          id: users.find((u) => u.username === 'op1')!.id,
          password: 'a-real-password-1'
        })
      )
      expect(
        (await lan.connect({ source: 'x' }).invoke('auth.login', { username: 'op1', password: 'a-real-password-1' })).ok
      ).toBe(true)
    } finally {
      lan.close()
    }
  })
})

describe('a recording’s stream dies with the login that asked for it', () => {
  let env: Awaited<ReturnType<typeof makeCore>>
  let hub: Hub
  beforeEach(async () => {
    env = await makeCore()
    hub = await startHub({ core: env.core, port: 0, staticDir: null })
  })
  afterEach(async () => {
    await hub.close()
    env.cleanup()
  })

  const status = (path: string) =>
    new Promise<number>((ok) => {
      request({ host: '127.0.0.1', port: hub.port, path, headers: { range: 'bytes=0-1' } }, (res) => {
        res.resume()
        ok(res.statusCode!)
      }).end()
    })

  it('after logout, and when the user is disabled, the grant streams nothing more', async () => {
    const op = await loginAs(env.core, 'op1')
    const { callId } = await ok<{ callId: number }>(
      op.invoke('calls.start', { direction: 'outbound', line: 'simulated' })
    )
    const { recordingId } = await ok<{ recordingId: number }>(
      op.invoke('recordings.start', { callId, mime: 'audio/webm' })
    )
    await ok(
      op.invoke('recordings.chunk', {
        recordingId,
        seq: 0,
        data: Buffer.from('abcdef').toString('base64'),
        peaks: '',
        durationMs: 100
      })
    )
    await ok(op.invoke('recordings.finish', { recordingId, durationMs: 100 }))
    const qa = await loginAs(env.core, 'qa')
    const m1 = await ok<{ path: string }>(qa.invoke('recordings.media', { id: recordingId }))
    expect(await status(m1.path)).toBe(206)
    await ok(qa.invoke('auth.logout', {}))
    expect(await status(m1.path)).toBe(404)
    // the operator's own grant ends when an administrator disables them
    const m2 = await ok<{ path: string }>(op.invoke('recordings.media', { id: recordingId }))
    expect(await status(m2.path)).toBe(206)
    const admin = await loginAs(env.core, 'admin')
    const id = (await ok<{ id: number }>(op.invoke('auth.me', {}))).id
    await ok(admin.invoke('users.update', { id, disabled: true }))
    expect(await status(m2.path)).toBe(404)
  })
})

/** `leadline serve --port 0 --json …` started; its JSON line once it listens. */
async function serve(args: string[]) {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'C' }
  })
  const line = await new Promise<{ port: number; setupCode?: string }>((ok, fail) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const l = out.split('\n').find((x) => x.includes('"url"'))
      if (l) ok(JSON.parse(l))
    })
    child.once('exit', (c) => fail(new Error(`hub exited ${c}`)))
  })
  return { child, line }
}

describe('an empty hub on the LAN', () => {
  it('prints a one-time setup code, and only with it is the first administrator made', async () => {
    const tmp = tempDir()
    const { child, line } = await serve(['--data', tmp.dir, '--host', '0.0.0.0', '--no-demo', '--insecure-http'])
    try {
      expect(line.setupCode).toMatch(/^\d{4}-\d{4}$/)
      const c = await HubClient.connect(`ws://127.0.0.1:${line.port}/api/ws`)
      const admin = { username: 'boss', displayName: '老板', password: 'first-admin-1' }
      expect(await c.call('system.info', {})).toMatchObject({ ok: true, value: { setupCodeRequired: true } })
      expect(await c.call('auth.setupFirstAdmin', admin)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect((await c.call('auth.setupFirstAdmin', { ...admin, setupCode: line.setupCode })).ok).toBe(true)
      c.close()
    } finally {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      tmp.cleanup()
    }
  })
})

describe('files at rest', () => {
  it('everything the hub writes in its data folder is its user’s alone: folders 0700, files 0600', async () => {
    const tmp = tempDir()
    const data = join(tmp.dir, 'data')
    const { child, line } = await serve(['--data', data])
    try {
      // a recording, an upload, a report: the hub writes its usual files
      const op = await HubClient.connect(`ws://127.0.0.1:${line.port}/api/ws`)
      expect((await op.call('auth.login', { username: 'op1', password: DEMO_PASSWORD })).ok).toBe(true)
      const call = (await op.call('calls.start', { direction: 'outbound', line: 'simulated' })) as {
        value: { callId: number }
      }
      const rec = (await op.call('recordings.start', { callId: call.value.callId, mime: 'audio/webm' })) as {
        value: { recordingId: number }
      }
      await op.call('recordings.chunk', {
        recordingId: rec.value.recordingId,
        seq: 0,
        data: Buffer.from('abc').toString('base64'),
        peaks: '',
        durationMs: 10
      })
      await op.call('recordings.finish', { recordingId: rec.value.recordingId, durationMs: 10 })
      op.close()
      const sup = await HubClient.connect(`ws://127.0.0.1:${line.port}/api/ws`)
      await sup.call('auth.login', { username: 'supervisor', password: DEMO_PASSWORD })
      await sup.call('uploads.begin', { name: 'x.csv', size: 3 })
      sup.close()
    } finally {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
    expect(
      spawnSync(process.execPath, [CLI, 'backup', join(data, 'backups', 'b.db'), '--data', data, '--json'], {
        encoding: 'utf8'
      }).status
    ).toBe(0)
    const loose: string[] = []
    const walk = (dir: string) => {
      if ((statSync(dir).mode & 0o077) !== 0) loose.push(`${dir} ${(statSync(dir).mode & 0o777).toString(8)}`)
      for (const f of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, f.name)
        if (f.isDirectory()) walk(p)
        else if ((statSync(p).mode & 0o077) !== 0) loose.push(`${p} ${(statSync(p).mode & 0o777).toString(8)}`)
      }
    }
    walk(data)
    expect(loose).toEqual([])
    expect(readdirSync(join(data, 'recordings'), { recursive: true }).length).toBeGreaterThan(0)
    tmp.cleanup()
  })
})
