import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { API_ROUTES, type ApiRoute } from '../../shared/contract'
import { startHub, type Hub } from '../../electron/server/hub'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { peaksOf, recordCall } from '../helpers/peaks'

let env: Awaited<ReturnType<typeof makeCore>>
let hub: Hub
let admin: CoreConnection
const sh = (local: string) => new Date(`${local}+08:00`)
const row = <T>(sql: string, ...p: unknown[]) => env.core.db.prepare(sql).get(...p) as T

beforeEach(async () => {
  // Monday 2026-11-23, 10:00 in Nanning
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  admin = await loginAs(env.core, 'admin')
  hub = await startHub({ core: env.core, port: 0, staticDir: null })
})
afterEach(async () => {
  await hub.close()
  env.cleanup()
})

async function key(scopes: string[], campaignId: number | null = null): Promise<string> {
  return (
    await ok<{ key: string }>(admin.invoke('apikeys.create', { name: `t-${scopes.join('+')}`, scopes, campaignId }))
  ).key
}

/** Every answer is what the route table (and so openapi.json) says it is: the enums and fields of the app's own contract. */
function answersItsSchema(method: string, path: string, answer: unknown): void {
  const bare = path.split('?')[0]
  const route = Object.values(API_ROUTES as Record<string, ApiRoute>).find(
    (r) => r.method === method && new RegExp(`^${r.path.replace(/\{\w+\}/g, '[0-9]+')}$`).test(bare)
  )
  if (!route) return
  const parsed = route.answer.safeParse(answer)
  if (!parsed.success) throw new Error(`${method} ${path} answered outside its schema: ${parsed.error.message}`)
}

async function call(
  k: string | null,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
) {
  const r = await fetch(`${hub.url}/api/v1${path}`, {
    method,
    headers: {
      ...(k ? { Authorization: `Bearer ${k}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await r.text()
  if (r.ok && text.startsWith('{')) answersItsSchema(method, path, JSON.parse(text))
  return {
    status: r.status,
    type: r.headers.get('content-type') ?? '',
    headers: r.headers,
    json: (text.startsWith('{') ? JSON.parse(text) : text) as Record<string, unknown> & {
      results?: { row: number; status: string; leadId?: number; reason?: string }[]
    }
  }
}

describe('the integration API (/api/v1)', () => {
  it('describes itself in OpenAPI 3.1 and a page for people; refuses a missing or wrong key with a problem in the caller’s language', async () => {
    const doc = await call(null, 'GET', '/openapi.json')
    expect(doc.status).toBe(200)
    expect(doc.json.openapi).toBe('3.1.0')
    const post = (doc.json.paths as Record<string, Record<string, { requestBody?: unknown; 'x-scope'?: string }>>)[
      '/api/v1/campaigns/{id}/leads'
    ].post
    expect(post['x-scope']).toBe('leads:write')
    expect(JSON.stringify(post.requestBody)).toContain('"phone"')
    const page = await call(null, 'GET', '/docs')
    expect(page.type).toContain('text/html')
    expect(String(page.json)).toContain('/api/v1/campaigns/{id}/leads')
    const none = await call(null, 'GET', '/campaigns')
    expect(none.status).toBe(401)
    expect(none.type).toContain('application/problem+json')
    expect(none.json).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: expect.stringContaining('API 密钥不对')
    })
    const en = await call('ll_00000000_' + 'x'.repeat(32), 'GET', '/campaigns', undefined, {
      'Accept-Language': 'en-US'
    })
    expect(en.json.detail).toMatch(/^Wrong API key/)
    // keys are an administrator's, shown once
    const op = await loginAs(env.core, 'op1')
    expect(await op.invoke('apikeys.create', { name: 'x', scopes: ['leads:read'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    const k = await key(['campaigns:read'])
    expect(k).toMatch(/^ll_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/)
    expect(JSON.stringify(await ok(admin.invoke('apikeys.list', {})))).not.toContain(k.slice(12))
    expect((await call(k, 'GET', '/campaigns')).json).toMatchObject({ items: [{ id: 1, name: expect.any(String) }] })
    const wrong = await call(k, 'POST', '/campaigns', {})
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET')
    expect((await call(k, 'GET', '/nothing-here')).status).toBe(404)
  })

  it('1,000 leads in one call: each row created, duplicate, invalid or dnc, as a file import; an idempotent resend creates nothing twice', async () => {
    const k = await key(['leads:write', 'leads:read'])
    insertLeads(env.core.db, 1, { first: 5 }) // 13900000005 is already in the pool
    await ok((await loginAs(env.core, 'supervisor')).invoke('dnc.add', { phone: '13912345678', reason: '客户要求' }))
    const leads = Array.from({ length: 1000 }, (_, i) => ({
      phone: `1380771${String(i).padStart(4, '0')}`,
      name: `客户${i}`
    }))
    leads[10] = { phone: '12345', name: '坏号码' }
    leads[11] = { phone: '13900000005', name: '池中已有' }
    leads[12] = { phone: '13912345678', name: '免打扰' }
    leads[13] = { phone: leads[0].phone, name: '重复' }
    const before = row<{ n: number }>('SELECT count(*) AS n FROM leads', []).n
    const r = await call(k, 'POST', '/campaigns/1/leads', { leads }, { 'Idempotency-Key': 'batch-1' })
    expect(r.status).toBe(201)
    const results = r.json.results!
    expect(results).toHaveLength(1000)
    expect(results[10]).toMatchObject({ row: 11, status: 'invalid', reason: expect.any(String) })
    expect(results[11]).toMatchObject({ row: 12, status: 'duplicate', leadId: expect.any(Number) })
    expect(results[12]).toMatchObject({ row: 13, status: 'dnc' })
    expect(results[13]).toMatchObject({ row: 14, status: 'duplicate' })
    expect(results[0]).toMatchObject({ row: 1, status: 'created', leadId: expect.any(Number) })
    expect(results.filter((x) => x.status === 'created')).toHaveLength(996)
    expect(row<{ n: number }>('SELECT count(*) AS n FROM leads', []).n).toBe(before + 996)
    // the same key again: the same answer, nothing imported twice
    const again = await call(k, 'POST', '/campaigns/1/leads', { leads }, { 'Idempotency-Key': 'batch-1' })
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.json).toEqual(r.json)
    expect(row<{ n: number }>('SELECT count(*) AS n FROM import_batches WHERE kind = ?', 'csv').n).toBe(2)
    const reused = await call(
      k,
      'POST',
      '/campaigns/1/leads',
      { leads: leads.slice(0, 2) },
      { 'Idempotency-Key': 'batch-1' }
    )
    expect(reused.status).toBe(409)
    // a bad body is refused whole, with the field
    const bad = await call(k, 'POST', '/campaigns/1/leads', { leads: [{ name: '没有号码' }] })
    expect(bad.status).toBe(400)
    expect(bad.json.detail).toContain('电话')
    // the lead reads back, its number masked (no pii:read)
    const lead = await call(k, 'GET', `/leads/${results[0].leadId}`)
    expect(lead.json).toMatchObject({ id: results[0].leadId, phone: '138****0000', status: 'new', campaignId: 1 })
  })

  it('scopes and campaigns hold; full numbers only with pii:read, audited; a revoked key is refused at once; a flood gets 429', async () => {
    const reader = await key(['leads:read'])
    const pii = await key(['leads:read', 'pii:read'])
    const [a] = insertLeads(env.core.db, 1, { first: 77 })
    expect((await call(reader, 'POST', '/campaigns/1/leads', { leads: [{ phone: '13800000001' }] })).status).toBe(403)
    expect((await call(reader, 'GET', `/leads/${a}`)).json.phone).toBe('139****0077')
    expect((await call(pii, 'GET', `/leads/${a}`)).json.phone).toBe('13900000077')
    expect(row("SELECT count(*) AS n FROM audit_log WHERE action = 'api.pii'", [])).toEqual({ n: 1 })
    const other = await ok<{ id: number }>(
      (await loginAs(env.core, 'supervisor')).invoke('campaigns.create', { name: '另一活动' })
    )
    const held = await key(['leads:write', 'leads:read'], other.id)
    expect((await call(held, 'POST', '/campaigns/1/leads', { leads: [{ phone: '13800000001' }] })).status).toBe(403)
    expect((await call(held, 'GET', `/leads/${a}`)).status).toBe(404)
    // revoked: the next request is refused
    const id = (await ok<{ id: number; prefix: string }[]>(admin.invoke('apikeys.list', {}))).find((x) =>
      pii.startsWith(`ll_${x.prefix}_`)
    )!.id
    await ok(admin.invoke('apikeys.revoke', { id }))
    const revoked = await call(pii, 'GET', `/leads/${a}`)
    expect(revoked.status).toBe(401)
    expect(revoked.json.detail).toContain('吊销')
    // every call is on the audit log
    expect(row<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'api.request'", []).n).toBe(5)
    // a flood: 429 with Retry-After
    const answers = await Promise.all(Array.from({ length: 60 }, () => call(reader, 'GET', `/leads/${a}`)))
    const limited = answers.filter((x) => x.status === 429)
    expect(limited.length).toBeGreaterThan(0)
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })

  it('outcomes of real calls since a cursor, oldest first; a number on the do-not-call list from outside', async () => {
    const k = await key(['events:read', 'dnc:write'])
    const op1 = await loginAs(env.core, 'op1')
    const [a] = insertLeads(env.core.db, 1, { first: 300 })
    await ok(op1.invoke('desk.next', {}))
    const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId: a, line: 'sip' }))
    await recordCall(op1, callId, peaksOf(5, [[0, 2]], [[2, 4]]))
    await ok(op1.invoke('desk.outcome', { clientId: 'api-outcome-0001', leadId: a, callId, disposition: 'no_answer' }))
    const first = await call(k, 'GET', '/outcomes?limit=10')
    const items = first.json.items as { leadId: number; disposition: string }[]
    expect(items).toEqual([expect.objectContaining({ leadId: a, callId, disposition: 'no_answer', success: false })])
    const next = await call(k, 'GET', `/outcomes?cursor=${first.json.nextCursor as string}`)
    expect(next.json).toEqual({ items: [], nextCursor: first.json.nextCursor })
    expect((await call(k, 'GET', '/outcomes?cursor=%21%21')).status).toBe(400)
    const d = await call(k, 'POST', '/dnc', { phone: '139-0000-0300', source: 'external_list', reason: '保险公司名单' })
    expect(d.status).toBe(201)
    expect(row("SELECT count(*) AS n FROM dnc_entries WHERE phone = '13900000300' AND removed_at IS NULL", [])).toEqual(
      {
        n: 1
      }
    )
  })

  it('the chain out to the insurer: calls, the visit and its signed policy, the 回访; the insurer attaches its policy number and status', async () => {
    const k = await key(['events:read', 'policies:write'])
    const sup = await loginAs(env.core, 'supervisor')
    const c = await ok<{ settings: { qa: object } }>(sup.invoke('campaigns.update', { id: 1 }))
    await ok(sup.invoke('campaigns.update', { id: 1, settings: { qa: { ...c.settings.qa, gate: false } } }))
    const op1 = await loginAs(env.core, 'op1')
    const [a] = insertLeads(env.core.db, 1, { first: 400, district: '450103' })
    await ok(op1.invoke('desk.next', {}))
    const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId: a, line: 'sip' }))
    await recordCall(op1, callId, peaksOf(5, [[0, 2]], [[2, 4]]))
    await ok(
      op1.invoke('desk.outcome', {
        clientId: 'api-chain-0001',
        leadId: a,
        callId,
        disposition: 'accepted',
        consent: true,
        visitAt: sh('2026-11-25T10:00:00').toISOString()
      })
    )
    // the signed lead: no policy attached before the visit is reported signed
    expect((await call(k, 'POST', `/leads/${a}/policy`, { policyNo: 'INS-1', status: 'issued' })).status).toBe(409)
    const calls = await call(k, 'GET', '/calls')
    expect(calls.json.items).toEqual([expect.objectContaining({ id: callId, leadId: a, direction: 'outbound' })])
    const d = row<{ id: number }>('SELECT id FROM dispatches WHERE lead_id = ?', a)
    const leader = await loginAs(env.core, 'leader_qx')
    const agentId = row<{ id: number }>("SELECT id FROM users WHERE username = 'agent_qx1'", []).id
    await ok(leader.invoke('dispatch.assign', { dispatchId: d.id, agentId }))
    env.clock.set(sh('2026-11-25T11:30:00'))
    // two days on: everyone logs in again
    admin = await loginAs(env.core, 'admin')
    const agent = await loginAs(env.core, 'agent_qx1')
    await ok(
      agent.invoke('dispatch.report', {
        dispatchId: d.id,
        result: 'signed',
        policy: {
          product: '鑫享人生终身寿险',
          life: true,
          termYears: 20,
          sumInsured: 500000,
          premium: 12000,
          paymentYears: 10,
          paymentFrequency: 'annual',
          policyNo: 'P2026112500001',
          receivedOn: '2026-11-25'
        }
      })
    )
    const k2 = await key(['events:read', 'policies:write'])
    const visit = await call(k2, 'GET', `/dispatches/${d.id}`)
    expect(visit.json).toMatchObject({
      id: d.id,
      leadId: a,
      state: 'signed',
      agentName: '蒙志刚',
      policy: { policyNo: 'P2026112500001' }
    })
    const attached = await call(k2, 'POST', `/leads/${a}/policy`, { policyNo: 'INS-2026-0001', status: 'issued' })
    expect(attached.status).toBe(200)
    expect((await call(k2, 'GET', '/dispatches')).json.items).toEqual([
      expect.objectContaining({
        policy: expect.objectContaining({ insurerPolicyNo: 'INS-2026-0001', insurerStatus: 'issued' })
      })
    ])
    expect((await call(k2, 'GET', '/followups')).json.items).toEqual([
      expect.objectContaining({ leadId: a, dispatchId: d.id, kind: 'cooling_off', state: 'open' })
    ])
  })
})
