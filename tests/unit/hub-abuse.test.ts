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
    expect((await next(ws)).frame).toMatchObject({
      id: 7,
      ok: false,
      error: { code: 'INVALID_INPUT', key: 'errors.badFrame' }
    })
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
    // an opaque origin: a sandboxed frame or a data: page of any site
    await expect(open('null')).rejects.toThrow(/403/)
    const own = await open(`http://127.0.0.1:${hub.port}`)
    own.close()
    const tool = await HubClient.connect(url())
    expect((await tool.call('system.now', {})).ok).toBe(true)
    tool.close()
  })

  it('before login a socket has a few frames to spend; a flood of logins on it closes it', async () => {
    const ws = await open()
    const answers: unknown[] = []
    ws.on('message', (d) => answers.push(JSON.parse(String(d))))
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
    for (let i = 0; i < 40; i++)
      ws.send(JSON.stringify({ id: i, method: 'auth.login', input: { username: `nobody${i}`, password: 'guess-123' } }))
    expect(await closed).toBe(1008)
    // a handful were answered (refused as wrong or as too many), the rest never reached the password check
    expect(answers.length).toBeLessThanOrEqual(12)
  })

  it('a logged-in socket that pushes thousands of unawaited requests is refused, then closed; its neighbour works on', async () => {
    const neighbour = await HubClient.connect(url())
    await neighbour.call('auth.login', { username: 'op1', password: 'demo1234' })
    const flood = await HubClient.connect(url())
    await flood.call('auth.login', { username: 'op2', password: 'demo1234' })
    const calls = Array.from({ length: 2000 }, () => flood.call('desk.unfinished', {}))
    const results = await Promise.all(calls)
    const refused = results.filter(
      (r) => !r.ok && (r as { error: { key: string } }).error.key === 'errors.tooManyRequests'
    ).length
    expect(refused).toBeGreaterThan(0)
    // past its share of refusals the socket is closed: the rest are answered as closed, not run
    expect(
      results.filter((r) => !r.ok && (r as { error: { key: string } }).error.key === 'closed').length
    ).toBeGreaterThan(1000)
    expect((await neighbour.call('auth.me', {})).ok).toBe(true)
    neighbour.close()
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
