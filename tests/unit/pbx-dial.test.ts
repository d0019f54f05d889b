import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { startHub, type Hub } from '../../electron/server/hub'
import { PBX_DIAL_PATH } from '../../shared/contract'
import { loginAs, makeCore, ok, userIdOf } from '../helpers/core'
import { insertLeads } from '../helpers/leads'

let env: Awaited<ReturnType<typeof makeCore>>
let hub: Hub
let admin: CoreConnection
let op1: CoreConnection
const sh = (local: string) => new Date(`${local}+08:00`)

beforeEach(async () => {
  // Monday 2026-11-23, 10:00 in Nanning
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  admin = await loginAs(env.core, 'admin')
  op1 = await loginAs(env.core, 'op1')
  await ok(
    admin.invoke('sip.setAccount', {
      userId: userIdOf(env.core, 'op1'),
      wsUrl: 'wss://pbx.example:8089/ws',
      domain: 'pbx.example',
      sipUser: '2101',
      displayName: '王芳',
      outsidePrefix: '9',
      iceServers: [],
      password: 'secret-2101'
    })
  )
  hub = await startHub({ core: env.core, port: 0, staticDir: null })
})
afterEach(async () => {
  await hub.close()
  env.cleanup()
})

/** The PBX's request: GET /pbx/dial/<token>?from=<sip user> with its key. */
async function resolve(token: string, from: string, key?: string) {
  const r = await fetch(`${hub.url}${PBX_DIAL_PATH}${token}?from=${from}`, {
    headers: key ? { Authorization: `Bearer ${key}` } : {}
  })
  return { status: r.status, body: await r.text() }
}
const audited = (action: string) =>
  env.core.db.prepare('SELECT details FROM audit_log WHERE action = ? ORDER BY id').pluck().all(action) as string[]

describe('the PBX dials by token', () => {
  it('a desk gets a one-time token, never the number; the PBX resolves it once, for the seat’s own account, with the key', async () => {
    const [a] = insertLeads(env.core.db, 1)
    await ok(op1.invoke('desk.next', {}))
    const r = await ok<Record<string, unknown> & { callId: number; dial: string }>(
      op1.invoke('desk.dial', { leadId: a, line: 'sip' })
    )
    // nothing of the number in what the desk receives
    expect(r.dial).toMatch(/^LL[0-9a-f]{24}$/)
    expect(JSON.stringify(r)).not.toMatch(/1390000|0000"/)
    const { key } = await ok<{ key: string; path: string; pbxDialsByToken: boolean }>(admin.invoke('sip.pbxLink', {}))
    // without the key, with another's key, from another account: refused, audited, the token kept
    expect((await resolve(r.dial, '2101')).status).toBe(401)
    expect((await resolve(r.dial, '2101', 'not-the-key')).status).toBe(401)
    expect(await resolve(r.dial, '2102', key)).toMatchObject({ status: 403 })
    expect(audited('sip.pbxRefused').map((d) => JSON.parse(d).status)).toEqual([401, 401, 403])
    // the PBX, for the seat that dialled: the dial string (the outside-line prefix, the number), once
    expect(await resolve(r.dial, '2101', key)).toEqual({ status: 200, body: '913900000000' })
    expect((await resolve(r.dial, '2101', key)).status).toBe(404)
    // a token is good for a minute
    await ok(op1.invoke('calls.end', { callId: r.callId, cause: 'failed', answered: false }))
    const late = await ok<{ dial: string }>(
      op1.invoke('calls.start', { direction: 'outbound', line: 'sip', number: '13900000099' })
    )
    env.clock.advance(61_000)
    expect((await resolve(late.dial, '2101', key)).status).toBe(404)
  })

  it('a number typed by hand and a 回访 go by token too; a colleague’s extension as it is; the simulated line gets the masked number', async () => {
    const { key } = await ok<{ key: string }>(admin.invoke('sip.pbxLink', {}))
    const typed = await ok<{ callId: number; dial: string }>(
      op1.invoke('calls.start', { direction: 'outbound', line: 'sip', number: '0771-5123456' })
    )
    expect(typed.dial).toMatch(/^LL/)
    // a landline of the centre's own city without its area code, behind the outside-line prefix
    expect(await resolve(typed.dial, '2101', key)).toEqual({ status: 200, body: '95123456' })
    await ok(op1.invoke('calls.end', { callId: typed.callId, cause: 'normal', answered: false }))
    const ext = await ok<{ callId: number; dial: string }>(
      op1.invoke('calls.start', { direction: 'outbound', line: 'sip', number: '2001' })
    )
    expect(ext.dial).toBe('2001')
    await ok(op1.invoke('calls.end', { callId: ext.callId, cause: 'normal', answered: false }))
    const [a] = insertLeads(env.core.db, 1)
    await ok(op1.invoke('desk.next', {}))
    expect((await ok<{ dial: string }>(op1.invoke('desk.dial', { leadId: a, line: 'simulated' }))).dial).toBe(
      '139****0000'
    )
  })

  it('rotating the key stops the old one at once; with tokens off (a PBX that cannot resolve them) the seat gets the dial string', async () => {
    const [a] = insertLeads(env.core.db, 1)
    const first = await ok<{ key: string }>(admin.invoke('sip.pbxLink', {}))
    // the same key each time it is shown, until rotated
    expect((await ok<{ key: string }>(admin.invoke('sip.pbxLink', {}))).key).toBe(first.key)
    const rotated = await ok<{ key: string }>(admin.invoke('sip.pbxLink', { rotate: true }))
    expect(rotated.key).not.toBe(first.key)
    await ok(op1.invoke('desk.next', {}))
    const r = await ok<{ callId: number; dial: string }>(op1.invoke('desk.dial', { leadId: a, line: 'sip' }))
    expect((await resolve(r.dial, '2101', first.key)).status).toBe(401)
    expect((await resolve(r.dial, '2101', rotated.key)).status).toBe(200)
    expect(audited('sip.pbxKeyRotated')).toHaveLength(1)
    // only an administrator sees the key
    expect(await op1.invoke('sip.pbxLink', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

    await ok(op1.invoke('calls.end', { callId: r.callId, cause: 'failed', answered: false }))
    await ok(admin.invoke('settings.update', { telephony: { pbxDialsByToken: false } }))
    const plain = await ok<{ dial: string }>(
      op1.invoke('calls.start', { direction: 'outbound', line: 'sip', number: '13900000001' })
    )
    expect(plain.dial).toBe('913900000001')
  })
})
