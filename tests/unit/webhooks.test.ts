import { createServer, type Server } from 'node:http'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { startHub, type Hub } from '../../electron/server/hub'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { peaksOf, recordCall } from '../helpers/peaks'

let env: Awaited<ReturnType<typeof makeCore>>
let hub: Hub
let admin: CoreConnection
let op1: CoreConnection
let receiver: Server | null = null
const got: { headers: Record<string, string>; body: string }[] = []
/** What the receiver answers next (500: it is broken). */
let answer = 200
const sh = (local: string) => new Date(`${local}+08:00`)

async function listen(port = 0): Promise<number> {
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString('utf8')))
    req.on('end', () => {
      got.push({ headers: req.headers as Record<string, string>, body })
      res.writeHead(answer).end()
    })
  })
  await new Promise<void>((r) => receiver!.listen(port, '127.0.0.1', r))
  return (receiver.address() as { port: number }).port
}
const stop = () => new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()))

beforeEach(async () => {
  got.length = 0
  answer = 200
  // Monday 2026-11-23, 10:00 in Nanning
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  admin = await loginAs(env.core, 'admin')
  op1 = await loginAs(env.core, 'op1')
  hub = await startHub({ core: env.core, port: 0, staticDir: null })
})
afterEach(async () => {
  await stop()
  receiver = null
  await hub.close()
  env.cleanup()
})

let n = 0
async function outcome(leadId: number, line: 'sip' | 'simulated', disposition = 'no_answer', after = 6 * 60_000) {
  await ok(op1.invoke('desk.next', {}))
  const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId, line }))
  await recordCall(op1, callId, peaksOf(5, [[0, 2]], [[2, 4]]))
  await ok(op1.invoke('desk.outcome', { clientId: `webhook-${++n}-${Date.now()}`, leadId, callId, disposition }))
  // past the per-number caps (and, for a lead called again, its retry time)
  env.clock.advance(after)
  return callId
}

async function register(url: string, events: string[]) {
  const { key } = await ok<{ key: string }>(admin.invoke('apikeys.create', { name: 'crm', scopes: ['webhooks:write'] }))
  const r = await fetch(`${hub.url}/api/v1/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url, events })
  })
  return { status: r.status, json: (await r.json()) as { id: number; secret: string; detail?: string } }
}

describe('webhooks (Standard Webhooks, from an outbox)', () => {
  it('an outcome saved on the desk arrives once, signed; a training call’s never; an address must be https or this machine', async () => {
    expect((await register('http://crm.example.com/hook', ['outcome.saved'])).status).toBe(400)
    const port = await listen()
    const reg = await register(`http://127.0.0.1:${port}/hook`, ['outcome.saved', 'lead.success'])
    expect(reg.status).toBe(201)
    expect(reg.json.secret).toMatch(/^whsec_/)
    const [a, b] = insertLeads(env.core.db, 2)
    const callId = await outcome(a, 'sip')
    expect(await env.core.webhooks.tick()).toBe(1)
    expect(got).toHaveLength(1)
    // an independent implementation of the scheme checks the signature
    const event = new Webhook(reg.json.secret).verify(got[0].body, got[0].headers) as {
      type: string
      data: { leadId: number; callId: number; disposition: string; success: boolean }
    }
    expect(event).toMatchObject({
      type: 'outcome.saved',
      data: { leadId: a, callId, disposition: 'no_answer', success: false }
    })
    expect(() =>
      new Webhook(reg.json.secret).verify(got[0].body.replace('no_answer', 'accepted'), got[0].headers)
    ).toThrow()
    // nothing twice
    expect(await env.core.webhooks.tick()).toBe(0)
    // a call on the simulated line is not a customer's: never sent
    await outcome(b, 'simulated')
    expect(await env.core.webhooks.tick()).toBe(0)
    const list = await ok<{ delivered: number; pending: number }[]>(admin.invoke('webhooks.list', {}))
    expect(list[0]).toMatchObject({ delivered: 1, pending: 0 })
  })

  it('the receiver down: retried with back-off, in order per lead; after a day it is dead, sent again by hand once the receiver is back', async () => {
    const port = await listen()
    const reg = await register(`http://127.0.0.1:${port}/hook`, ['outcome.saved', 'complaint.opened'])
    const [a] = insertLeads(env.core.db, 1)
    answer = 500
    await outcome(a, 'sip')
    await env.core.webhooks.tick()
    expect(got).toHaveLength(1)
    // a second event for the same lead waits behind the first
    const phone = env.core.db.prepare('SELECT phone FROM leads WHERE id = ?').pluck().get(a) as string
    const qa = await loginAs(env.core, 'qa')
    const complain = () =>
      ok(qa.invoke('complaints.open', { phone, category: 'attitude', channel: 'hotline', summary: '客户来电投诉态度' }))
    await complain()
    env.clock.advance(60_000)
    answer = 200
    await env.core.webhooks.tick()
    const types = () => got.map((g) => (JSON.parse(g.body) as { type: string }).type)
    expect(types()).toEqual(['outcome.saved', 'outcome.saved'])
    await env.core.webhooks.tick()
    expect(types()).toEqual(['outcome.saved', 'outcome.saved', 'complaint.opened'])
    // the same webhook-id on every try of one event
    expect(got[0].headers['webhook-id']).toBe(got[1].headers['webhook-id'])

    // now gone for more than a day
    await stop()
    receiver = null
    await complain()
    for (let h = 0; h < 26; h++) {
      await env.core.webhooks.tick()
      env.clock.advance(3_600_000)
    }
    // a day later: the administrator logs in again
    admin = await loginAs(env.core, 'admin')
    const deliveries = await ok<{ id: number; state: string; attempts: number; lastError: string | null }[]>(
      admin.invoke('webhooks.deliveries', { id: reg.json.id })
    )
    expect(deliveries[0]).toMatchObject({ state: 'dead' })
    expect(deliveries[0].attempts).toBeGreaterThan(5)
    expect((await ok<{ dead: number }[]>(admin.invoke('webhooks.list', {})))[0].dead).toBe(1)
    await listen(port)
    await ok(admin.invoke('webhooks.resend', { deliveryId: deliveries[0].id }))
    await env.core.webhooks.tick()
    expect(got.length).toBe(4)
    expect((await ok<{ state: string }[]>(admin.invoke('webhooks.deliveries', { id: reg.json.id })))[0].state).toBe(
      'delivered'
    )
  })
})
