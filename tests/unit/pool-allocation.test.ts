import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { DAY_MS } from '../helpers/time'
import { fingerprint, loginAs, makeCore, ok } from '../helpers/core'

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
/** Logs in afresh: the tests move the clock past the session lifetime. */
const as = (username: string): Promise<CoreConnection> => loginAs(env.core, username)
const ids: Record<string, number> = {}

function list(source: string, n: number, base: number): Buffer {
  const rows = Array.from(
    { length: n },
    (_, i) => `${source}客户${i},139${String(base + i).padStart(8, '0')},南宁市青秀区`
  )
  return Buffer.from(`姓名,手机,地址\n${rows.join('\n')}\n`)
}

beforeEach(async () => {
  env = await makeCore()
  for (const u of ['op1', 'op2', 'op3'])
    ids[u] = env.core.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(u) as number
  // three sources, imported on different days: 40 + 40 + 40 leads
  for (const [i, s] of ['渠道A', '渠道B', '渠道C'].entries()) {
    await env.core.leads.importFile(
      list(s, 40, i * 1000),
      { fileName: `${s}.csv`, source: s, campaignId: 1, policy: 'skip', userId: null },
      {},
      'test'
    )
    env.clock.advance(DAY_MS)
  }
})
afterEach(() => env.cleanup())

const allocations = () =>
  env.core.db.prepare('SELECT lead_id, operator_id FROM allocations').all() as {
    lead_id: number
    operator_id: number
  }[]

describe('daily batches', () => {
  it('previews 30 per operator, mixed across sources, without changing anything', async () => {
    const sup = await as('supervisor')
    const before = fingerprint(env.core, { withAudit: true })
    const plan = await ok<{
      total: number
      shortage: number
      operators: { operatorId: number; adding: number; bySource: Record<string, number> }[]
    }>(sup.invoke('allocation.preview', { day: '2026-11-27' }))
    expect(plan.total).toBe(90)
    expect(plan.shortage).toBe(0)
    for (const o of plan.operators) {
      expect(o.adding).toBe(30)
      expect(o.bySource).toEqual({ 渠道A: 10, 渠道B: 10, 渠道C: 10 })
    }
    expect(fingerprint(env.core, { withAudit: true })).toBe(before)
  })

  it('commits what it previewed; running it again gives nobody a lead twice', async () => {
    const preview = await ok((await as('supervisor')).invoke('allocation.preview', { day: '2026-11-27' }))
    const plan = await ok<{ total: number }>(
      (await as('supervisor')).invoke('allocation.commit', { day: '2026-11-27' })
    )
    expect(plan).toEqual(preview)
    const a = allocations()
    expect(a).toHaveLength(90)
    expect(new Set(a.map((x) => x.lead_id)).size).toBe(90)
    for (const op of ['op1', 'op2', 'op3']) expect(a.filter((x) => x.operator_id === ids[op])).toHaveLength(30)
    const again = await ok<{ total: number }>(
      (await as('supervisor')).invoke('allocation.commit', { day: '2026-11-27' })
    )
    expect(again.total).toBe(0)
    expect(allocations()).toHaveLength(90)
    // the next day tops up from what is left, and says what is short
    const next = await ok<{ total: number; shortage: number }>(
      (await as('supervisor')).invoke('allocation.commit', { day: '2026-11-28' })
    )
    expect(next).toMatchObject({ total: 30, shortage: 60 })
    expect(new Set(allocations().map((x) => x.lead_id)).size).toBe(120)
  })

  it('each operator sees only their own batch, numbers masked; another operator’s lead is FORBIDDEN', async () => {
    await ok((await as('supervisor')).invoke('allocation.commit', { day: '2026-11-27' }))
    const mine = await ok<{ rows: { id: number; phone: string }[] }>(
      (await as('op1')).invoke('leads.search', { limit: 500 })
    )
    expect(mine.rows).toHaveLength(30)
    expect(mine.rows.every((r) => /^139\*{4}\d{4}$/.test(r.phone))).toBe(true)
    const theirs = allocations().find((x) => x.operator_id === ids.op2)!.lead_id
    expect(await (await as('op1')).invoke('leads.get', { id: theirs })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    expect(mine.rows.map((r) => r.id)).not.toContain(theirs)
  })
})

describe('the private pool (私海)', () => {
  beforeEach(async () => {
    await ok((await as('supervisor')).invoke('allocation.commit', { day: '2026-11-27', perOperator: 10 }))
  })

  it('warns the operator a day before, then recalls leads nobody followed up after 7 days', async () => {
    env.clock.advance(5 * DAY_MS)
    expect(await ok<unknown[]>((await as('op1')).invoke('pool.myWarnings', {}))).toEqual([])
    expect(await ok((await as('supervisor')).invoke('pool.recallNow', {}))).toEqual({ recalled: 0 })
    env.clock.advance(1 * DAY_MS + 60_000)
    const warnings = await ok<{ reason: string }[]>((await as('op1')).invoke('pool.myWarnings', {}))
    expect(warnings).toHaveLength(10)
    expect(warnings[0].reason).toBe('noFollowUp')
    env.clock.advance(1 * DAY_MS)
    expect(await ok((await as('supervisor')).invoke('pool.recallNow', {}))).toEqual({ recalled: 30 })
    expect(env.core.db.prepare('SELECT count(*) FROM leads WHERE owner_id IS NOT NULL').pluck().get()).toBe(0)
    const lead = allocations().find((x) => x.operator_id === ids.op1)!.lead_id
    const detail = await ok<{ history: { kind: string }[] }>((await as('supervisor')).invoke('leads.get', { id: lead }))
    expect(detail.history.map((h) => h.kind)).toEqual(['imported', 'allocated', 'recalled'])
  })

  it('after a recall the previous holder waits out the cool-down; others may claim at once', async () => {
    env.clock.advance(8 * DAY_MS)
    await ok((await as('supervisor')).invoke('pool.recallNow', {}))
    const lead = allocations().find((x) => x.operator_id === ids.op1)!.lead_id
    expect(await (await as('op1')).invoke('pool.claim', { leadId: lead })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', key: 'errors.cooldown' }
    })
    expect(await ok((await as('op2')).invoke('pool.claim', { leadId: lead }))).toEqual({ ok: true })
    expect(await (await as('op1')).invoke('pool.claim', { leadId: lead })).toMatchObject({
      ok: false,
      error: { key: 'errors.leadNotPublic' }
    })
    await ok((await as('op2')).invoke('pool.release', { leadId: lead }))
    env.clock.advance(3 * DAY_MS + 1000)
    expect(await ok((await as('op1')).invoke('pool.claim', { leadId: lead }))).toEqual({ ok: true })
  })

  it('caps: leads held and claims per day', async () => {
    await ok((await as('supervisor')).invoke('pool.setRules', { rules: { dailyClaimCap: 2, maxHeld: 11 } }))
    const free = env.core.db
      .prepare("SELECT id FROM leads WHERE owner_id IS NULL AND status = 'new' ORDER BY id LIMIT 3")
      .pluck()
      .all() as number[]
    expect(await ok((await as('op1')).invoke('pool.claim', { leadId: free[0] }))).toEqual({ ok: true })
    // holds 11 now: the cap on leads held refuses the next
    expect(await (await as('op1')).invoke('pool.claim', { leadId: free[1] })).toMatchObject({
      ok: false,
      error: { key: 'errors.holdCap', params: { max: 11 } }
    })
    await ok((await as('supervisor')).invoke('pool.setRules', { rules: { maxHeld: 100 } }))
    expect(await ok((await as('op1')).invoke('pool.claim', { leadId: free[1] }))).toEqual({ ok: true })
    expect(await (await as('op1')).invoke('pool.claim', { leadId: free[2] })).toMatchObject({
      ok: false,
      error: { key: 'errors.claimCap' }
    })
  })

  it('hands over everything an operator holds, to a colleague or back to the pool, logged', async () => {
    const r = await ok<{ leads: number; allocations: number }>(
      (await as('supervisor')).invoke('pool.handover', { fromUserId: ids.op1, toUserId: ids.op2, reason: '离职' })
    )
    expect(r).toEqual({ leads: 10, allocations: 10 })
    expect(env.core.db.prepare('SELECT count(*) FROM leads WHERE owner_id = ?').pluck().get(ids.op2)).toBe(20)
    expect(env.core.db.prepare('SELECT count(*) FROM leads WHERE owner_id = ?').pluck().get(ids.op1)).toBe(0)
    const back = await ok<{ leads: number }>(
      (await as('supervisor')).invoke('pool.handover', { fromUserId: ids.op2, toUserId: null, reason: '调岗' })
    )
    expect(back.leads).toBe(20)
    expect(
      env.core.db.prepare("SELECT count(*) FROM leads WHERE owner_id IS NULL AND status = 'new'").pluck().get()
    ).toBe(110)
    expect(env.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'pool.handover'").pluck().get()).toBe(2)
    expect(
      await (
        await as('supervisor')
      ).invoke('pool.handover', { fromUserId: ids.op3, toUserId: ids.op3 + 100, reason: 'x' })
    ).toMatchObject({ ok: false, error: { key: 'errors.handoverTarget' } })
  })
})
