import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { SYSTEM_USER } from '../../electron/core/invoke'
import { startHub, type Hub } from '../../electron/server/hub'
import { PBX_INBOUND_PATH } from '../../shared/contract'
import { loginAs, makeCore, ok, userIdOf } from '../helpers/core'
import { insertLeads } from '../helpers/leads'

let env: Awaited<ReturnType<typeof makeCore>>
let hub: Hub
let admin: CoreConnection
let op1: CoreConnection
let op2: CoreConnection
let key: string
const sh = (local: string) => new Date(`${local}+08:00`)

async function line(username: string, ext: string) {
  await ok(
    admin.invoke('sip.setAccount', {
      userId: userIdOf(env.core, username),
      wsUrl: 'wss://pbx.example:8089/ws',
      domain: 'pbx.example',
      sipUser: ext,
      displayName: username,
      outsidePrefix: '',
      iceServers: [],
      password: `secret-${ext}`
    })
  )
}

beforeEach(async () => {
  // Monday 2026-11-23, 10:00 in Nanning
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  admin = await loginAs(env.core, 'admin')
  op1 = await loginAs(env.core, 'op1')
  op2 = await loginAs(env.core, 'op2')
  await line('op1', '2101')
  await line('op2', '2102')
  const file = join(env.dir, 'pool.csv')
  writeFileSync(file, '号码,运营商,线路,活动,状态\n0771-5123456,中国电信,GX-1,,启用\n')
  await env.core.callerIds.importFile(file, SYSTEM_USER, 'test', 'zh-CN')
  key = (await ok<{ key: string }>(admin.invoke('sip.pbxLink', {}))).key
  hub = await startHub({ core: env.core, port: 0, staticDir: null })
})
afterEach(async () => {
  await hub.close()
  env.cleanup()
})

/** The PBX asks the hub: GET /pbx/inbound?from=<caller>&to=<number dialled>, with its key. */
async function route(from: string, to = '07715123456', k: string | null = key) {
  const r = await fetch(`${hub.url}${PBX_INBOUND_PATH}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
    headers: k ? { Authorization: `Bearer ${k}` } : {}
  })
  return { status: r.status, body: await r.text() }
}
const ready = (c: CoreConnection, seat: string) => ok(c.invoke('desk.setState', { state: 'ready', seat }))
const row = <T>(sql: string, ...p: unknown[]) => env.core.db.prepare(sql).get(...p) as T
const live = async () =>
  ok<{ returnCalls: { waiting: number; overdue: number }; callerPool: Record<string, number> }>(
    (await loginAs(env.core, 'supervisor')).invoke('reports.live', {})
  )

describe('return calls (回拨路由)', () => {
  it('the PBX must bring its key; a number that is not the centre’s, or a seat calling, is not routed', async () => {
    const [a] = insertLeads(env.core.db, 1)
    const phone = row<{ phone: string }>('SELECT phone FROM leads WHERE id = ?', a).phone
    expect((await route(phone, '07715123456', null)).status).toBe(401)
    expect((await route(phone, '07715123456', 'wrong')).status).toBe(401)
    expect((await route(phone, '07719999999')).status).toBe(404)
    expect((await route('2102')).status).toBe(404)
  })

  it('rings the lead’s own operator with the card: the call is theirs, counted inbound, on the lead, shown masked', async () => {
    const [a] = insertLeads(env.core.db, 1)
    const op1Id = userIdOf(env.core, 'op1')
    env.core.db.prepare('UPDATE leads SET owner_id = ? WHERE id = ?').run(op1Id, a)
    const phone = row<{ phone: string }>('SELECT phone FROM leads WHERE id = ?', a).phone
    await ready(op1, 'seat-op1-aaaa')
    await ready(op2, 'seat-op2-aaaa')
    // the caller's number as a trunk sends it (+86)
    const r = await route(`+86${phone}`)
    expect(r.status).toBe(200)
    const [ext, callIdText, shown] = r.body.split(' ')
    expect(ext).toBe('2101')
    expect(shown).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`)
    const callId = Number(callIdText)
    expect(
      row('SELECT operator_id, lead_id, direction, shown_number, answered_at FROM calls WHERE id = ?', callId)
    ).toEqual({
      operator_id: op1Id,
      lead_id: a,
      direction: 'inbound',
      shown_number: '07715123456',
      answered_at: null
    })
    // the card opens as it rings, masked; nobody else's desk can open it
    const rang = await ok<{ lead: { id: number; phone: string }; callId: number }>(
      op1.invoke('desk.inbound', { callId })
    )
    expect(rang.lead).toMatchObject({ id: a, phone: shown })
    expect(await op2.invoke('desk.inbound', { callId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    // the lead is the operator's for the call
    expect(row('SELECT lease_by FROM leads WHERE id = ?', a)).toEqual({ lease_by: op1Id })
    // answered: it is that call; its outcome is owed as for any call of a lead
    const started = await ok<{ callId: number }>(
      op1.invoke('calls.start', { direction: 'inbound', line: 'sip', routedCallId: callId })
    )
    expect(started.callId).toBe(callId)
    await ok(op1.invoke('calls.end', { callId, cause: 'customer', answered: true }))
    expect(await ok<{ callId: number } | null>(op1.invoke('desk.unfinished', {}))).toMatchObject({ callId })
    expect(
      row<{ n: number }>("SELECT count(*) AS n FROM lead_events WHERE lead_id = ? AND kind = 'inbound'", a).n
    ).toBe(1)
  })

  it('the owner busy: one of their team is rung; nobody free: the PBX hears 480 and the owner gets a callback within 30 minutes, on the wallboard', async () => {
    const [a, b] = insertLeads(env.core.db, 2)
    const op1Id = userIdOf(env.core, 'op1')
    const op2Id = userIdOf(env.core, 'op2')
    const team = await ok<{ id: number }>(admin.invoke('teams.create', { name: '回拨组', memberIds: [op1Id, op2Id] }))
    expect(team.id).toBeGreaterThan(0)
    env.core.db.prepare('UPDATE leads SET owner_id = ? WHERE id IN (?, ?)').run(op1Id, a, b)
    const [pa, pb] = [a, b].map((id) => row<{ phone: string }>('SELECT phone FROM leads WHERE id = ?', id).phone)
    await ok(op1.invoke('desk.setState', { state: 'on_call', seat: 'seat-op1-aaaa' }))
    await ready(op2, 'seat-op2-aaaa')
    const r = await route(pa)
    expect(r.body.split(' ')[0]).toBe('2102')
    // op2 rings now: a second caller finds nobody free
    const none = await route(pb)
    expect(none.status).toBe(480)
    const cb = row<{ operator_id: number; due_at: string; origin: string }>(
      "SELECT operator_id, due_at, origin FROM callbacks WHERE lead_id = ? AND state = 'pending'",
      b
    )
    expect(cb).toEqual({
      operator_id: op1Id,
      due_at: new Date(sh('2026-11-23T10:30:00')).toISOString(),
      origin: 'missed_inbound'
    })
    expect(row('SELECT status, owner_id FROM leads WHERE id = ?', b)).toEqual({ status: 'callback', owner_id: op1Id })
    expect((await live()).returnCalls).toEqual({ waiting: 1, overdue: 0 })
    // the board shows the caller-ID pool too: its one number in use, no call shown from it yet
    expect((await live()).callerPool).toEqual({ active: 1, suspended: 0, atCap: 0, calls: 0, answered: 0 })
    // op2 lets the first one ring out: missed too, the lead given back and called back by its owner
    const callId = Number(r.body.split(' ')[1])
    await ok(op2.invoke('calls.end', { callId, cause: 'missed', answered: false }))
    expect(row('SELECT lease_by, status FROM leads WHERE id = ?', a)).toEqual({ lease_by: null, status: 'callback' })
    expect(row('SELECT answered_at, end_cause FROM calls WHERE id = ?', callId)).toEqual({
      answered_at: null,
      end_cause: 'missed'
    })
    // a missed call owes no outcome
    expect(await ok(op2.invoke('desk.unfinished', {}))).toBeNull()
    env.clock.advance(31 * 60_000)
    expect((await live()).returnCalls).toEqual({ waiting: 2, overdue: 2 })
    // the owner's queue gives them the callback first
    await ready(op1, 'seat-op1-aaaa')
    const next = await ok<{ lead: { id: number }; source: string }>(op1.invoke('desk.next', { seat: 'seat-op1-aaaa' }))
    expect(next.source).toBe('callback')
    expect([a, b]).toContain(next.lead.id)
  })

  it('a customer whose visit is booked calls back: their operator takes it with the card, and the call changes nothing of the sale', async () => {
    const [a] = insertLeads(env.core.db, 1)
    const op1Id = userIdOf(env.core, 'op1')
    env.core.db.prepare("UPDATE leads SET owner_id = ?, status = 'accepted' WHERE id = ?").run(op1Id, a)
    const phone = row<{ phone: string }>('SELECT phone FROM leads WHERE id = ?', a).phone
    await ready(op1, 'seat-op1-aaaa')
    const r = await route(phone)
    const callId = Number(r.body.split(' ')[1])
    expect(r.body.split(' ')[0]).toBe('2101')
    // not leased (a sale is not worked from the queue), yet the card is the rung operator's
    expect(row('SELECT lease_by, status FROM leads WHERE id = ?', a)).toEqual({ lease_by: null, status: 'accepted' })
    const rang = await ok<{ lead: { status: string } }>(op1.invoke('desk.inbound', { callId }))
    expect(rang.lead.status).toBe('accepted')
    await ok(op1.invoke('calls.start', { direction: 'inbound', line: 'sip', routedCallId: callId }))
    await ok(op1.invoke('calls.end', { callId, cause: 'customer', answered: true }))
    expect(await ok(op1.invoke('desk.unfinished', {}))).toBeNull()
    expect(
      await op1.invoke('desk.outcome', { clientId: 'ib-sale-1', leadId: a, callId, disposition: 'refused' })
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.inboundOnSale' } })
    expect(row('SELECT status FROM leads WHERE id = ?', a)).toEqual({ status: 'accepted' })
  })

  it('an unknown caller becomes a new lead of the number’s campaign, rung at one of the campaign’s operators; a seat that went away while ringing is swept as missed', async () => {
    const op2Id = userIdOf(env.core, 'op2')
    // op2 worked campaign 1 this week
    env.core.db
      .prepare(
        "INSERT INTO calls (operator_id, lead_id, direction, line, started_at, campaign_id) VALUES (?, NULL, 'outbound', 'sip', ?, 1)"
      )
      .run(op2Id, sh('2026-11-22T10:00:00').toISOString())
    await ready(op2, 'seat-op2-aaaa')
    const r = await route('013807712345')
    expect(r.status).toBe(200)
    expect(r.body.split(' ')[0]).toBe('2102')
    const lead = row<{ id: number; campaign_id: number; phone_city: string; status: string }>(
      "SELECT id, campaign_id, phone_city, status FROM leads WHERE phone = '13807712345'"
    )
    expect(lead).toMatchObject({ campaign_id: 1, phone_city: '南宁市', status: 'in_queue' })
    // op2's seat goes silent while it rings: after the ring time, the sweep makes it a missed call
    env.clock.advance(2 * 60_000)
    expect(env.core.inbound.sweep()).toBe(1)
    expect(row("SELECT count(*) AS n FROM callbacks WHERE lead_id = ? AND origin = 'missed_inbound'", lead.id)).toEqual(
      {
        n: 1
      }
    )
  })
})
