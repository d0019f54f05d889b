import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { startHub, type Hub } from '../../electron/server/hub'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { peaksOf, recordCall } from '../helpers/peaks'
import { startKannel, type Kannel } from '../helpers/kannel'

let env: Awaited<ReturnType<typeof makeCore>>
let hub: Hub
let kannel: Kannel | null = null
let op1: CoreConnection
let admin: CoreConnection
const sh = (local: string) => new Date(`${local}+08:00`)
const row = <T>(sql: string, ...p: unknown[]) => env.core.db.prepare(sql).get(...p) as T
const userId = (u: string) => row<{ id: number }>('SELECT id FROM users WHERE username = ?', u).id

beforeEach(async () => {
  // Monday 2026-11-23, 10:00 in Nanning
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  op1 = await loginAs(env.core, 'op1')
  admin = await loginAs(env.core, 'admin')
  const sup = await loginAs(env.core, 'supervisor')
  const c = await ok<{ settings: { qa: object } }>(sup.invoke('campaigns.update', { id: 1 }))
  await ok(sup.invoke('campaigns.update', { id: 1, settings: { qa: { ...c.settings.qa, gate: false } } }))
  hub = await startHub({ core: env.core, port: 0, staticDir: null })
})
afterEach(async () => {
  await kannel?.stop()
  kannel = null
  await hub.close()
  env.cleanup()
})

let n = 0
/** A success with a visit on 11-25 10:00 in 青秀区: its dispatch. */
async function success(): Promise<{ leadId: number; dispatchId: number; phone: string; name: string }> {
  const [leadId] = insertLeads(env.core.db, 1, { first: 8000 + ++n, district: '450103' })
  await ok(op1.invoke('desk.next', {}))
  const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId, line: 'sip' }))
  await recordCall(op1, callId, peaksOf(5, [[0, 2]], [[2, 4]]))
  await ok(
    op1.invoke('desk.outcome', {
      clientId: `sms-${n}-${Date.now()}`,
      leadId,
      callId,
      disposition: 'accepted',
      consent: true,
      visitAt: sh('2026-11-25T10:00:00').toISOString()
    })
  )
  env.clock.advance(6 * 60_000)
  const l = row<{ phone: string; name: string }>('SELECT phone, name FROM leads WHERE id = ?', leadId)
  return { leadId, dispatchId: row<{ id: number }>('SELECT id FROM dispatches WHERE lead_id = ?', leadId).id, ...l }
}

/** The gateway set up against a real Kannel whose replies come to the hub; the templates approved. */
async function gateway(): Promise<Kannel> {
  const first = await ok<{ moPath: string }>(
    admin.invoke('sms.setGateway', {
      enabled: false,
      sendUrl: 'http://127.0.0.1:9/cgi-bin/sendsms',
      username: 'leadline',
      sender: '10690000',
      callbackBase: hub.url
    })
  )
  const k = await startKannel(`${hub.url}${first.moPath}`)
  await ok(
    admin.invoke('sms.setGateway', {
      enabled: true,
      sendUrl: k.sendUrl,
      username: k.username,
      password: k.password,
      sender: '10690000',
      callbackBase: hub.url
    })
  )
  return k
}

async function approve() {
  for (const t of await ok<{ kind: 'visit_booked' | 'visit_changed'; signature: string; body: string }[]>(
    admin.invoke('sms.templates', {})
  ))
    await ok(
      admin.invoke('sms.saveTemplate', { kind: t.kind, signature: t.signature, body: t.body, status: 'approved' })
    )
}

const until = async (what: () => boolean, ms = 10_000) => {
  for (const end = Date.now() + ms; !what();) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${kannel?.log().slice(-2000)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('SMS to the customer (短信, Kannel)', () => {
  it('templates: the signature, the variables and the length are checked; only an approved one is sent', async () => {
    const bad = (patch: object) =>
      admin.invoke('sms.saveTemplate', {
        kind: 'visit_booked',
        signature: '【线索通】',
        body: '{客户}您好',
        status: 'draft',
        ...patch
      })
    expect(await bad({ signature: '线索通' })).toMatchObject({ ok: false, error: { key: 'errors.smsSignature' } })
    expect(await bad({ body: '{客户}您好，{地址}见' })).toMatchObject({
      ok: false,
      error: { message: '模板中有无法识别的变量 {地址}：只能使用 {客户}、{时间}、{业务员}' }
    })
    expect(await bad({ body: '长'.repeat(340) })).toMatchObject({ ok: false, error: { key: 'errors.smsTooLong' } })
    expect(await op1.invoke('sms.templates', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const [booked] = await ok<{ sample: string; parts: number; status: string }[]>(admin.invoke('sms.templates', {}))
    expect(booked.sample).toMatch(/^【线索通】张先生您好，已为您预约\d+月\d+日 \d\d:\d\d上门服务，业务员李娜将准时拜访/)
    expect(booked.parts).toBe(1)
    // not approved: a booked visit sends nothing, and the lead's history says why
    const s = await success()
    const leader = await loginAs(env.core, 'leader_qx')
    await ok(leader.invoke('dispatch.assign', { dispatchId: s.dispatchId, agentId: userId('agent_qx2') }))
    expect(row('SELECT count(*) AS n FROM sms_messages', [])).toEqual({ n: 0 })
    expect(row("SELECT count(*) AS n FROM lead_events WHERE lead_id = ? AND kind = 'sms_skipped'", s.leadId)).toEqual({
      n: 1
    })
  })

  it('a visit booked reaches the carrier with the time, the agent and the signature; the move sends an update; a TD reply blocks the next; reports are stored', async () => {
    kannel = await gateway()
    await approve()
    const s = await success()
    const leader = await loginAs(env.core, 'leader_qx')
    await ok(leader.invoke('dispatch.assign', { dispatchId: s.dispatchId, agentId: userId('agent_qx2') }))
    expect(await env.core.sms.tick()).toBe(1)
    await until(() => kannel!.received.length === 1)
    const who = `${[...s.name][0]}女士`
    expect(kannel.received[0]).toMatchObject({
      to: s.phone,
      from: '10690000',
      coding: 'ucs-2',
      text: `【线索通】${who}您好，已为您预约11月25日 10:00上门服务，业务员梁秀英将准时拜访，请保持电话畅通。回复TD退订`
    })
    const m = row<{ id: number; state: string; dlr_token: string }>('SELECT id, state, dlr_token FROM sms_messages', [])
    // sent (Kannel's own delivery report, which the stand-in carrier triggers at once, may already be in)
    expect(['sent', 'delivered']).toContain(m.state)
    // a delivery report with the wrong token changes nothing; with it, the message is delivered
    expect((await fetch(`${hub.url}/sms/dlr?id=${m.id}&k=nope&status=1`)).status).toBe(404)
    expect((await fetch(`${hub.url}/sms/dlr?id=${m.id}&k=${m.dlr_token}&status=1`)).status).toBe(200)
    expect(row('SELECT state FROM sms_messages WHERE id = ?', m.id)).toEqual({ state: 'delivered' })

    // the agent moves the visit: an update
    const agent = await loginAs(env.core, 'agent_qx2')
    await ok(
      agent.invoke('dispatch.report', {
        dispatchId: s.dispatchId,
        result: 'rescheduled',
        newVisitAt: sh('2026-11-26T15:30:00').toISOString()
      })
    )
    await env.core.sms.tick()
    await until(() => kannel!.received.length === 2)
    expect(kannel.received[1].text).toBe(
      `【线索通】${who}您好，您的上门服务已改到11月26日 15:30，业务员梁秀英将准时拜访。回复TD退订`
    )

    // Kannel's own delivery report (the carrier link took it) comes to the hub's dlr-url
    await until(
      () => row<{ state: string }>('SELECT state FROM sms_messages ORDER BY id DESC LIMIT 1', []).state === 'delivered'
    )

    // the customer replies TD: the number is off SMS (not off calls), and the next message is not sent
    kannel.reply(s.phone, '10690000', 'TD')
    await until(
      () =>
        row<{ n: number }>(
          "SELECT count(*) AS n FROM dnc_entries WHERE phone = ? AND channel = 'sms' AND removed_at IS NULL",
          s.phone
        ).n === 1
    )
    await ok(leader.invoke('dispatch.assign', { dispatchId: s.dispatchId, agentId: userId('agent_qx1') }))
    expect(await env.core.sms.tick()).toBe(0)
    expect(row('SELECT state, error FROM sms_messages ORDER BY id DESC LIMIT 1', [])).toMatchObject({
      state: 'blocked'
    })
    expect(kannel.received).toHaveLength(2)
    // a reply to the wrong key is refused
    expect((await fetch(`${hub.url}/sms/mo/wrong-key-of-someone?from=${s.phone}&text=TD`)).status).toBe(403)
    // the supervisor's list shows the states (and the number, as supervisors see numbers by default)
    const sup = await loginAs(env.core, 'supervisor')
    const list = await ok<{ rows: { state: string; phone: string }[] }>(sup.invoke('sms.messages', {}))
    expect(list.rows.map((r) => r.state)).toEqual(['blocked', 'delivered', 'delivered'])
    expect(list.rows[0].phone).toBe(s.phone)
  })

  it('the gateway down: the message is tried again with back-off, failed after 5 tries, visible, sent again by hand once it is back', async () => {
    kannel = await gateway()
    await approve()
    const url = kannel.sendUrl
    await kannel.stop()
    kannel = null
    const s = await success()
    const leader = await loginAs(env.core, 'leader_qx')
    await ok(leader.invoke('dispatch.assign', { dispatchId: s.dispatchId, agentId: userId('agent_qx2') }))
    for (let i = 0; i < 5; i++) {
      await env.core.sms.tick()
      env.clock.advance(16 * 60_000)
    }
    const m = row<{ id: number; state: string; attempts: number; error: string }>(
      'SELECT id, state, attempts, error FROM sms_messages',
      []
    )
    expect(m).toMatchObject({ state: 'failed', attempts: 5 })
    expect(m.error).toMatch(/ECONNREFUSED|fetch failed/)
    expect(url).toMatch(/^http:/)
    const list = await ok<{ failed: number }>(admin.invoke('sms.messages', {}))
    expect(list.failed).toBe(1)
    kannel = await gateway()
    await ok(admin.invoke('sms.retry', { id: m.id }))
    await env.core.sms.tick()
    await until(() => kannel!.received.length === 1)
    // sent, and perhaps already reported delivered by Kannel
    expect(row<{ state: string }>('SELECT state FROM sms_messages WHERE id = ?', m.id).state).toMatch(
      /^(sent|delivered)$/
    )
  })
})
