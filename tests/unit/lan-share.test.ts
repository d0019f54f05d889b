import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import WebSocket from 'ws'
import { followLanHubSetting, type LanShareState } from '../../electron/main/lan-hub'
import { loginAs, makeCore, ok, quietLogger } from '../helpers/core'

let env: Awaited<ReturnType<typeof makeCore>>
beforeEach(async () => {
  env = await makeCore({ demo: true })
})
afterEach(() => env.cleanup())

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    })
  })

/** One call over a socket: the answer's value, or how the socket was refused. */
function callOnce(
  url: string,
  opts: WebSocket.ClientOptions,
  method: string
): Promise<{ value?: Record<string, unknown>; refused?: string }> {
  return new Promise((done) => {
    const ws = new WebSocket(url, opts)
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, input: {} })))
    ws.on('message', (d) => {
      const frame = JSON.parse(String(d)) as { id?: number; value?: Record<string, unknown> }
      if (frame.id !== 1) return
      done({ value: frame.value })
      ws.close()
    })
    ws.once('error', (e) => done({ refused: e.message }))
  })
}

describe('sharing a desktop seat’s data on the LAN', () => {
  it('is refused in demo mode and while any account has the demo password; then served over TLS, to the hub’s own pages only', async () => {
    const admin = await loginAs(env.core, 'admin')
    const port = await freePort()
    const share = { lanHub: { enabled: true, host: '127.0.0.1', port } }
    expect(await admin.invoke('settings.update', share)).toMatchObject({
      ok: false,
      error: { key: 'errors.lanShareDemoMode' }
    })
    await ok(admin.invoke('settings.update', { demoMode: false }))
    const withDemo = await admin.invoke('settings.update', share)
    expect(withDemo).toMatchObject({ ok: false, error: { key: 'errors.lanShareDemoPasswords' } })
    expect(!withDemo.ok && withDemo.error.message).toContain('supervisor')
    expect(env.core.settings().lanHub.enabled).toBe(false)

    // every account gets a password of its own
    const users = await ok<{ id: number; username: string }[]>(admin.invoke('users.list', {}))
    for (const u of users.filter((x) => x.username !== 'admin'))
      await ok(admin.invoke('users.resetPassword', { id: u.id, password: `Own-pass-${u.id}-x` }))
    await ok(admin.invoke('auth.changePassword', { currentPassword: 'demo1234', newPassword: 'Admin-own-pass-1' }))
    await ok(admin.invoke('settings.update', share))

    const states: LanShareState[] = []
    const lan = followLanHubSetting(env.core, null, quietLogger, (s) => states.push(s))
    try {
      await lan.settled()
      expect(states.at(-1)).toMatchObject({
        state: 'on',
        url: expect.stringMatching(new RegExp(`^https://.+:${port}$`))
      })
      // a seat that trusts the hub's CA gets in; the login page lists no account
      const ca = readFileSync(join(env.dir, 'tls', 'ca.crt'))
      const wss = `wss://127.0.0.1:${port}/api/ws`
      const info = await callOnce(wss, { ca }, 'system.info')
      expect(info.value).toMatchObject({ demoMode: false })
      expect(info.value?.demoAccounts ?? []).toEqual([])
      // plain ws is not served, nor a certificate nobody vouches for, nor a page of an opaque origin
      expect((await callOnce(`ws://127.0.0.1:${port}/api/ws`, {}, 'system.info')).refused).toBeTruthy()
      expect((await callOnce(wss, {}, 'system.info')).refused).toMatch(/certificate/)
      expect((await callOnce(wss, { ca, origin: 'null' }, 'system.info')).refused).toMatch(/403/)
      expect((await callOnce(wss, { ca, origin: `https://127.0.0.1:${port}` }, 'system.info')).value).toBeTruthy()

      // switched off, it is gone; on again, it is back
      await ok(admin.invoke('settings.update', { lanHub: { enabled: false } }))
      await lan.settled()
      expect(states.at(-1)).toEqual({ state: 'off' })
      expect((await callOnce(wss, { ca }, 'system.info')).refused).toBeTruthy()
      await ok(admin.invoke('settings.update', share))
      await lan.settled()
      expect((await callOnce(wss, { ca }, 'system.info')).value).toBeTruthy()

      // demo mode does not come back while it shares
      expect(await admin.invoke('settings.update', { demoMode: true })).toMatchObject({
        ok: false,
        error: { key: 'errors.lanShareDemoMode' }
      })
      // an account set back to the demo password stops the share at its next start
      await ok(
        admin.invoke('users.resetPassword', { id: users.find((u) => u.username === 'op1')!.id, password: 'demo1234' })
      )
      await ok(admin.invoke('settings.update', { lanHub: { port: await freePort() } }))
      await lan.settled()
      expect(states.at(-1)).toMatchObject({ state: 'refused', reason: expect.stringContaining('op1') })
      expect((await callOnce(wss, { ca }, 'system.info')).refused).toBeTruthy()
    } finally {
      await lan.stop()
    }
  })
})
