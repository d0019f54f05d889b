import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHub, type Hub } from '../../electron/server/hub'
import { jsonTooDeep, peekId } from '../../electron/server/frames'
import { makeCore } from '../helpers/core'
import { HubClient } from '../helpers/ws-client'

let env: Awaited<ReturnType<typeof makeCore>>
let hub: Hub
const url = () => `ws://127.0.0.1:${hub.port}/api/ws`

beforeEach(async () => {
  env = await makeCore()
  hub = await startHub({ core: env.core, port: 0, staticDir: null, maxConnectionsPerAddress: 5 })
})
afterEach(async () => {
  await hub.close()
  env.cleanup()
})

/** The next frame a raw socket receives (or how it was closed). */
function next(ws: WebSocket): Promise<{ frame?: Record<string, unknown>; closed?: number }> {
  return new Promise((ok) => {
    ws.once('message', (d) => ok({ frame: JSON.parse(String(d)) }))
    ws.once('close', (code) => ok({ closed: code }))
  })
}
const open = (origin?: string) =>
  new Promise<WebSocket>((ok, fail) => {
    const ws = new WebSocket(url(), origin ? { origin } : {})
    ws.once('open', () => ok(ws))
    ws.once('error', fail)
  })

describe('frames from a socket nobody trusts yet', () => {
  it('depth is counted before parsing, strings skipped; the id is read without parsing', () => {
    expect(jsonTooDeep('['.repeat(40) + ']'.repeat(40), 32)).toBe(true)
    expect(jsonTooDeep('{"a":[[[1]]]}', 32)).toBe(false)
    expect(jsonTooDeep(JSON.stringify({ s: '['.repeat(1000) }), 32)).toBe(false)
    expect(peekId('{"id": 42, "method": [[[')).toBe(42)
    expect(peekId('garbage')).toBe(-1)
  })

  it('a deep frame is refused unparsed and answered to its own id; a malformed one too', async () => {
    const ws = await open()
    ws.send(`{"id":7,"method":"auth.me","input":${'['.repeat(5000)}${']'.repeat(5000)}}`)
    expect((await next(ws)).frame).toMatchObject({ id: 7, ok: false, error: { code: 'INVALID_INPUT', key: 'errors.badFrame' } })
    ws.send('{"id":8,"method":')
    expect((await next(ws)).frame).toMatchObject({ id: 8, ok: false, error: { key: 'errors.badFrame' } })
    ws.close()
  })

  it('before login a big frame closes the socket; a login is tiny', async () => {
    const ws = await open()
    ws.send(JSON.stringify({ id: 1, method: 'auth.login', input: { username: 'x', password: 'y'.repeat(100_000) } }))
    expect(await next(ws)).toEqual({ closed: 1009 })
  })

  it('a page of a foreign origin cannot open a socket; the hub’s own pages and tools can', async () => {
    await expect(open('https://evil.example')).rejects.toThrow(/403/)
    const own = await open(`http://127.0.0.1:${hub.port}`)
    own.close()
    const tool = await HubClient.connect(url())
    expect((await tool.call('system.now', {})).ok).toBe(true)
    tool.close()
  })

  it('one address cannot open more than its share of sockets', async () => {
    const socks = await Promise.all(Array.from({ length: 5 }, () => open()))
    await expect(open()).rejects.toThrow(/503/)
    socks.forEach((s) => s.close())
    await new Promise((r) => setTimeout(r, 200))
    const again = await open()
    again.close()
  })
})
