import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import {
  contract,
  HUB_WS_PATH,
  IPC_INVOKE_CHANNEL,
  IPC_PICK_FOLDER_CHANNEL,
  METHOD_NAMES,
  ROLES,
  type MethodName,
  type Result,
  type Role
} from '../../shared/contract'
import { registerIpc } from '../../electron/main/ipc'
import { startHub, type Hub } from '../../electron/server/hub'
import { DEMO_PASSWORD } from '../../electron/core/demo/seed'
import { demoUserOf, fingerprint, makeCore } from '../helpers/core'
import { HubClient } from '../helpers/ws-client'

/**
 * Generated from the contract: every method, at both transports, refuses malformed input
 * with INVALID_INPUT and changes nothing, refuses every role it does not list with FORBIDDEN,
 * and refuses callers who are not logged in. A method added to the contract is covered here
 * without touching this file.
 */

type Call = (method: string, input: unknown) => Promise<Result<unknown>>
interface Transport {
  name: string
  /** A fresh caller, not logged in. */
  anonymous(): Promise<Call>
  close(): Promise<void>
}

const MALFORMED: unknown[] = [42, 'text', [], { __unexpected: true }]

async function ipcTransport(core: Awaited<ReturnType<typeof makeCore>>['core']): Promise<Transport> {
  let handler: ((e: IpcMainInvokeEvent, ...args: unknown[]) => Promise<Result<unknown>>) | undefined
  const fakeIpcMain = {
    handle: (channel: string, h: typeof handler) => {
      if (channel === IPC_INVOKE_CHANNEL) handler = h
    },
    removeHandler: () => {}
  }
  registerIpc(
    fakeIpcMain as never,
    core,
    (e) => e.senderFrame?.url === 'file:///app/index.html',
    async () => null
  )
  let nextSender = 1
  return {
    name: 'IPC',
    anonymous: async () => {
      // Each caller is its own window (webContents): its own connection and session.
      const sender = { id: nextSender++, isDestroyed: () => false, send: () => {}, once: () => {} }
      const event = { sender, senderFrame: { url: 'file:///app/index.html' } } as unknown as IpcMainInvokeEvent
      return (method, input) => handler!(event, method, input, 'en')
    },
    close: async () => {}
  }
}

async function hubTransport(core: Awaited<ReturnType<typeof makeCore>>['core']): Promise<Transport & { hub: Hub }> {
  const hub = await startHub({ core, port: 0, staticDir: null })
  const clients: HubClient[] = []
  return {
    name: 'hub WebSocket',
    hub,
    anonymous: async () => {
      const c = await HubClient.connect(hub.url.replace('http', 'ws') + HUB_WS_PATH)
      clients.push(c)
      return (method, input) => c.call(method, input, 'en')
    },
    close: async () => {
      clients.forEach((c) => c.close())
      await hub.close()
    }
  }
}

for (const make of [ipcTransport, hubTransport]) {
  describe(`the contract at the ${make === ipcTransport ? 'IPC' : 'hub WebSocket'} transport`, () => {
    let env: Awaited<ReturnType<typeof makeCore>>
    let transport: Transport
    const asRole = new Map<Role, Call>()
    let anon: Call

    beforeAll(async () => {
      env = await makeCore()
      transport = await make(env.core)
      for (const role of ROLES) {
        const call = await transport.anonymous()
        const r = await call('auth.login', { username: demoUserOf(role), password: DEMO_PASSWORD })
        expect(r.ok).toBe(true)
        asRole.set(role, call)
      }
      // a caller that has not logged in has a few frames to spend on its socket (the hub closes a
      // flood before login), so each anonymous call here comes from a page of its own
      anon = async (method, input) => (await transport.anonymous())(method, input)
    })
    afterAll(async () => {
      await transport.close()
      env.cleanup()
    })

    it('an unknown method gets UNKNOWN_METHOD naming it', async () => {
      for (const call of [anon, asRole.get('admin')!]) {
        const r = await call('leads.nuke', {})
        expect(r).toMatchObject({
          ok: false,
          error: { code: 'UNKNOWN_METHOD', message: 'Unknown operation: leads.nuke' }
        })
      }
      expect(await anon('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
      expect(await anon('constructor', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
    })

    for (const method of METHOD_NAMES as MethodName[]) {
      const spec = contract[method]
      const allowed: readonly Role[] = spec.roles === 'public' ? ROLES : spec.roles

      it(`${method}: malformed input is refused with INVALID_INPUT and changes nothing`, async () => {
        const call = spec.roles === 'public' ? anon : asRole.get(allowed[0])!
        for (const bad of MALFORMED) {
          const before = fingerprint(env.core, { withAudit: true })
          const r = await call(method, bad)
          expect(r, `${method} with ${JSON.stringify(bad)}`).toMatchObject({
            ok: false,
            error: { code: 'INVALID_INPUT' }
          })
          expect(fingerprint(env.core, { withAudit: true })).toBe(before)
        }
      })

      if (spec.roles !== 'public') {
        const refused = ROLES.filter((r) => !allowed.includes(r))
        it(`${method}: refuses ${refused.join(', ') || 'no role'} with FORBIDDEN, and anonymous callers`, async () => {
          for (const role of refused) {
            const before = fingerprint(env.core)
            const r = await asRole.get(role)!(method, {})
            expect(r, `${method} as ${role}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
            expect(fingerprint(env.core)).toBe(before)
          }
          const before = fingerprint(env.core)
          expect(await anon(method, {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
          expect(fingerprint(env.core)).toBe(before)
        })
      }
    }
  })
}

describe('hub WebSocket specifics', () => {
  it('answers a frame that is not JSON with a clear error and keeps the socket open', async () => {
    const env = await makeCore()
    const t = await hubTransport(env.core)
    try {
      const c = await HubClient.connect(t.hub.url.replace('http', 'ws') + HUB_WS_PATH)
      c.sendRaw('{not json')
      const r = await c.call('system.info', {})
      expect(r.ok).toBe(true)
      expect(c.errors).toMatchObject([{ id: -1, ok: false, error: { code: 'INVALID_INPUT' } }])
      c.close()
    } finally {
      await t.close()
      env.cleanup()
    }
  })

  it('refuses IPC calls from a frame that is not our page', async () => {
    const env = await makeCore()
    try {
      const handlers = new Map<string, (e: unknown, ...a: unknown[]) => Promise<unknown>>()
      registerIpc(
        {
          handle: (c: string, h: (e: unknown, ...a: unknown[]) => Promise<unknown>) => handlers.set(c, h),
          removeHandler: () => {}
        } as never,
        env.core,
        (e) => e.senderFrame?.url === 'file:///app/index.html',
        async () => env.dir
      )
      const sender = { id: 1, isDestroyed: () => false, send: () => {}, once: () => {} }
      const r = await handlers.get(IPC_INVOKE_CHANNEL)!(
        { sender, senderFrame: { url: 'https://evil.example/' } },
        'system.info',
        {}
      )
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      // the folder dialog answers our page only, and with a token, never the path
      expect(
        await handlers.get(IPC_PICK_FOLDER_CHANNEL)!({ sender, senderFrame: { url: 'https://evil.example/' } })
      ).toBeNull()
      const picked = (await handlers.get(IPC_PICK_FOLDER_CHANNEL)!({
        sender,
        senderFrame: { url: 'file:///app/index.html' }
      })) as { token: string; name: string }
      expect(picked.token).not.toContain(env.dir)
      expect(env.core.folders.take(picked.token)).toBe(env.dir)
      expect(env.core.folders.take(picked.token)).toBeUndefined()
    } finally {
      env.cleanup()
    }
  })

  it('pushes events only to the users allowed to see them', async () => {
    const env = await makeCore()
    const t = await hubTransport(env.core)
    try {
      const url = t.hub.url.replace('http', 'ws') + HUB_WS_PATH
      const admin = await HubClient.connect(url)
      const op = await HubClient.connect(url)
      await admin.call('auth.login', { username: 'admin', password: DEMO_PASSWORD })
      await op.call('auth.login', { username: 'op1', password: DEMO_PASSWORD })
      const r = await admin.call('users.create', {
        username: 'op7',
        displayName: '七',
        role: 'operator',
        password: 'secret-123'
      })
      expect(r.ok).toBe(true)
      await admin.call('system.info', {})
      await op.call('system.info', {})
      expect(admin.events.map((e) => e.event)).toContain('users.changed')
      expect(op.events.map((e) => e.event)).not.toContain('users.changed')
      admin.close()
      op.close()
    } finally {
      await t.close()
      env.cleanup()
    }
  })
})
