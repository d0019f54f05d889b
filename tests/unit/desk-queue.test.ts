import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import type { DeskLead } from '../../shared/contract'
import { callingWindow } from '../../shared/domain/calling-time'
import { withCheckDigit } from '../../shared/domain/id-card'
import { DEFAULT_CAMPAIGN_SETTINGS } from '../../electron/core/campaigns/service'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'

const MIN = 60_000
const TZ = 'Asia/Shanghai'
/** Local Shanghai time (UTC+8) as an instant. */
const sh = (local: string) => new Date(`${local}+08:00`)

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
let op1: CoreConnection
let op2: CoreConnection
let sup: CoreConnection
let n = 0
const clientId = () => `test-outcome-${++n}-${Date.now()}`

type Next =
  | { lead: DeskLead; source: string; callbackId: number | null; leaseUntil: string }
  | { lead: null; reason: string; nextAt: string | null }
const next = (c: CoreConnection) => ok<Next>(c.invoke('desk.next', {}))
async function nextLead(c: CoreConnection) {
  const r = await next(c)
  if (!r.lead) throw new Error(`no lead: ${r.reason}`)
  return r as Extract<Next, { lead: DeskLead }>
}
const dial = (c: CoreConnection, leadId: number, line: 'sip' | 'simulated' = 'sip') =>
  ok<{ callId: number; dial: string }>(c.invoke('desk.dial', { leadId, line }))
const outcome = (c: CoreConnection, input: Record<string, unknown>) =>
  ok<{ outcomeId: number; leadStatus: string; duplicate: boolean }>(
    c.invoke('desk.outcome', { clientId: clientId(), callId: null, ...input })
  )

beforeEach(async () => {
  // Monday 2026-11-23, 10:00 in Nanning.
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  op1 = await loginAs(env.core, 'op1')
  op2 = await loginAs(env.core, 'op2')
  sup = await loginAs(env.core, 'supervisor')
})
afterEach(() => env.cleanup())

describe('calling windows', () => {
  const rules = DEFAULT_CAMPAIGN_SETTINGS
  it('follow the default Monday–Friday 10:00–12:00 and 13:30–18:00, with the lunch break', () => {
    expect(callingWindow(sh('2026-11-23T09:59:59'), rules, TZ)).toMatchObject({
      open: false,
      reason: 'outsideWindow',
      opensAt: sh('2026-11-23T10:00:00')
    })
    expect(callingWindow(sh('2026-11-23T10:00:00'), rules, TZ)).toMatchObject({
      open: true,
      closesAt: sh('2026-11-23T12:00:00')
    })
    expect(callingWindow(sh('2026-11-23T12:30:00'), rules, TZ)).toMatchObject({
      open: false,
      reason: 'outsideWindow',
      opensAt: sh('2026-11-23T13:30:00')
    })
    expect(callingWindow(sh('2026-11-23T17:59:59'), rules, TZ).open).toBe(true)
    // Friday evening: next Monday morning
    expect(callingWindow(sh('2026-11-27T18:00:00'), rules, TZ)).toMatchObject({
      open: false,
      opensAt: sh('2026-11-30T10:00:00')
    })
  })

  it('never go past the legal 09:00–21:00, whatever the campaign says: 20:59 yes, 21:00 no', () => {
    const wide = { ...rules, windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '07:00', end: '23:30' }] }
    expect(callingWindow(sh('2026-11-23T20:59:00'), wide, TZ).open).toBe(true)
    expect(callingWindow(sh('2026-11-23T21:00:00'), wide, TZ)).toMatchObject({
      open: false,
      reason: 'legalHours',
      opensAt: sh('2026-11-24T09:00:00')
    })
    expect(callingWindow(sh('2026-11-24T08:59:00'), wide, TZ)).toMatchObject({
      open: false,
      reason: 'legalHours',
      opensAt: sh('2026-11-24T09:00:00')
    })
  })

  it('skip holidays and honour weekend working days (调休)', () => {
    const r = { ...rules, holidays: ['2026-11-24'], extraWorkdays: ['2026-11-28'] }
    expect(callingWindow(sh('2026-11-24T11:00:00'), r, TZ)).toMatchObject({
      open: false,
      reason: 'holiday',
      opensAt: sh('2026-11-25T10:00:00')
    })
    expect(callingWindow(sh('2026-11-28T11:00:00'), r, TZ).open).toBe(true)
  })
})

describe('the dial queue', () => {
  it('hands out the due callbacks first, then the batch, then the shared pool, and never one lead to two operators', async () => {
    const [a, b, c] = insertLeads(env.core.db, 3)
    // b is in op1's batch for today
    await ok(
      sup.invoke('allocation.commit', {
        day: '2026-11-23',
        perOperator: 1,
        operatorIds: [(await ok<{ id: number }>(op1.invoke('auth.me', {}))).id]
      })
    )
    const batchLead = env.core.db.prepare('SELECT id FROM leads WHERE owner_id IS NOT NULL').pluck().get() as number
    expect([a, b, c]).toContain(batchLead)
    const first = await nextLead(op1)
    expect(first).toMatchObject({ source: 'batch', lead: { id: batchLead } })
    // asking again (a reload) gives the same lead, not a second one
    expect((await nextLead(op1)).lead.id).toBe(batchLead)
    // op1 books a callback for 10:30
    await dial(op1, batchLead)
    await outcome(op1, {
      leadId: batchLead,
      disposition: 'callback',
      callbackAt: sh('2026-11-23T10:30:00').toISOString()
    })
    // now the pool feeds op1 and op2, never the same lead
    const p1 = await nextLead(op1)
    const p2 = await nextLead(op2)
    expect(p1.source).toBe('pool')
    expect(p2.source).toBe('pool')
    expect(p1.lead.id).not.toBe(p2.lead.id)
    await ok(op1.invoke('desk.release', { leadId: p1.lead.id, reason: 'not_now' }))
    await ok(op2.invoke('desk.release', { leadId: p2.lead.id, reason: 'not_now' }))
    // at 10:30 the callback comes back first
    env.clock.set(sh('2026-11-23T10:30:00'))
    expect(await nextLead(op1)).toMatchObject({ source: 'callback', lead: { id: batchLead } })
    // and it is op1's own: op2 does not get it
    const o2 = await nextLead(op2)
    expect(o2.lead.id).not.toBe(batchLead)
  })

  it('an open callback goes to whoever is free in the campaign; a missed one shows to the supervisor', async () => {
    const [a] = insertLeads(env.core.db, 1)
    const l = await nextLead(op1)
    expect(l.lead.id).toBe(a)
    await dial(op1, a)
    await outcome(op1, {
      leadId: a,
      disposition: 'callback',
      callbackAt: sh('2026-11-23T11:00:00').toISOString(),
      callbackOpen: true
    })
    env.clock.set(sh('2026-11-23T11:00:00'))
    expect(await nextLead(op2)).toMatchObject({ source: 'callback', lead: { id: a } })
    await ok(op2.invoke('desk.release', { leadId: a, reason: 'not_now' }))
    // the wallboard's 逾期回拨 and the missed-callback table beside it count the same: 15 minutes past due
    const overdue = async () =>
      (await ok<{ overdue: { callbacks: number } }>(sup.invoke('reports.live', {}))).overdue.callbacks
    env.clock.set(sh('2026-11-23T11:10:00'))
    expect(await ok(sup.invoke('desk.missedCallbacks', {}))).toEqual([])
    expect(await overdue()).toBe(0)
    env.clock.set(sh('2026-11-23T11:30:00'))
    const missed = await ok<{ leadId: number; phone: string }[]>(sup.invoke('desk.missedCallbacks', {}))
    expect(missed).toMatchObject([{ leadId: a }])
    expect(await overdue()).toBe(1)
  })

  it('says why nothing is dialable outside the windows, and from when', async () => {
    insertLeads(env.core.db, 2)
    env.clock.set(sh('2026-11-23T12:15:00'))
    const r = await next(op1)
    expect(r).toMatchObject({ lead: null, nextAt: sh('2026-11-23T13:30:00').toISOString() })
    expect((r as { reason: string }).reason).toContain('13:30')
  })

  it('skips numbers on the do-not-call list, leads past their retry time or attempts, and explains each in words', async () => {
    const [a, b, c] = insertLeads(env.core.db, 3)
    await ok(sup.invoke('dnc.add', { phone: '13900000000', reason: '客户投诉', days: 180 }))
    env.core.db.prepare('UPDATE leads SET attempts = 6 WHERE id = ?').run(b)
    env.core.db.prepare('UPDATE leads SET next_at = ? WHERE id = ?').run(sh('2026-11-23T15:00:00').toISOString(), c)
    const r = await next(op1)
    expect(r.lead).toBeNull()
    const why = async (id: number) =>
      ok<{ dialable: boolean; blocks: { code: string; text: string; until: string | null }[] }>(
        sup.invoke('desk.why', { leadId: id })
      )
    expect(await why(a)).toMatchObject({ dialable: false, blocks: [{ code: 'dnc' }] })
    expect((await why(a)).blocks[0].text).toMatch(/免打扰名单中，05-22 10:00 到期/)
    expect((await why(b)).blocks).toMatchObject([{ code: 'maxAttempts', until: null }])
    expect(await why(c)).toMatchObject({
      dialable: false,
      blocks: [{ code: 'retryLater', until: sh('2026-11-23T15:00:00').toISOString() }]
    })
    env.clock.set(sh('2026-11-23T15:00:00'))
    expect((await nextLead(op1)).lead.id).toBe(c)
  })

  it('caps dials to one number: one in any 5 minutes and three in 24 hours, across operators', async () => {
    const [a] = insertLeads(env.core.db, 1)
    for (let i = 0; i < 3; i++) {
      const who = i % 2 ? op2 : op1
      expect((await nextLead(who)).lead.id).toBe(a)
      await dial(who, a)
      await outcome(who, { leadId: a, disposition: 'busy' })
      // busy retries after 30 minutes; 5 minutes later the 5-minute cap is gone but the retry time is not
      env.clock.advance(4 * MIN)
      const w = await ok<{ blocks: { code: string }[] }>(sup.invoke('desk.why', { leadId: a }))
      expect(w.blocks.map((b) => b.code).sort()).toEqual(i === 2 ? ['cap24h', 'cap5min'] : ['cap5min', 'retryLater'])
      env.clock.advance(27 * MIN)
    }
    // after three dials, the 24-hour cap holds it until a day after the first
    const w = await ok<{ blocks: { code: string; until: string }[] }>(sup.invoke('desk.why', { leadId: a }))
    expect(w.blocks).toMatchObject([{ code: 'cap24h', until: sh('2026-11-24T10:00:00').toISOString() }])
    expect((await next(op1)).lead).toBeNull()
  })

  it('a lease that runs out (a crashed seat) gives the lead to another operator', async () => {
    const [a] = insertLeads(env.core.db, 1)
    expect((await nextLead(op1)).lead.id).toBe(a)
    expect((await next(op2)).lead).toBeNull()
    // op1's desk renews while it works …
    env.clock.advance(2 * MIN)
    await ok(op1.invoke('desk.renew', { leadId: a }))
    env.clock.advance(2 * MIN)
    expect((await next(op2)).lead).toBeNull()
    // … then goes silent
    env.clock.advance(2 * MIN)
    expect((await nextLead(op2)).lead.id).toBe(a)
    // op1 cannot dial it any more
    expect(await op1.invoke('desk.dial', { leadId: a, line: 'sip' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', key: 'errors.notYourLead' }
    })
  })
})

describe('outcomes', () => {
  it('a refusal puts the number on do-not-call for 6 months; the outcome is saved once even when sent twice', async () => {
    const [a] = insertLeads(env.core.db, 1)
    await nextLead(op1)
    const { callId } = await dial(op1, a)
    const input = { clientId: 'refusal-once-0001', leadId: a, callId, disposition: 'refused', notes: '明确拒绝' }
    const first = await ok<{ outcomeId: number; duplicate: boolean; leadStatus: string }>(
      op1.invoke('desk.outcome', input)
    )
    expect(first).toMatchObject({ duplicate: false, leadStatus: 'refused' })
    expect(await ok(op1.invoke('desk.outcome', input))).toMatchObject({ outcomeId: first.outcomeId, duplicate: true })
    expect(env.core.db.prepare('SELECT count(*) FROM outcomes').pluck().get()).toBe(1)
    const dnc = env.core.db
      .prepare('SELECT source, expires_at FROM dnc_entries WHERE phone = ?')
      .get('13900000000') as {
      source: string
      expires_at: string
    }
    expect(dnc.source).toBe('refusal')
    expect(dnc.expires_at).toBe(sh('2027-05-22T10:00:00').toISOString())
  })

  it('a success needs a visit time and the customer’s consent, and records the district', async () => {
    const [a] = insertLeads(env.core.db, 1, { district: null })
    await nextLead(op1)
    const { callId } = await dial(op1, a)
    const base = { leadId: a, callId, disposition: 'accepted', visitAt: sh('2026-11-25T15:00:00').toISOString() }
    expect(await op1.invoke('desk.outcome', { clientId: clientId(), ...base })).toMatchObject({
      ok: false,
      error: { key: 'errors.consentRequired' }
    })
    expect(await op1.invoke('desk.outcome', { clientId: clientId(), ...base, consent: true })).toMatchObject({
      ok: false,
      error: { key: 'errors.districtRequiredForSuccess' }
    })
    expect(env.core.db.prepare('SELECT count(*) FROM outcomes').pluck().get()).toBe(0)
    // the visit is later than now, inside the hours field agents visit (09:00–20:00 in the centre's zone)
    const refusedAt = async (local: string) =>
      (await op1.invoke('desk.outcome', {
        clientId: clientId(),
        ...base,
        consent: true,
        districtCode: '450105',
        visitAt: sh(local).toISOString()
      })) as { ok: false; error: { key: string; message: string } }
    expect((await refusedAt('2026-11-23T09:30:00')).error.key).toBe('errors.visitInPast')
    expect(await refusedAt('2026-11-25T21:00:00')).toMatchObject({
      ok: false,
      error: { key: 'errors.visitOutsideHours', message: '拜访时间须在每天 09:00–20:00 之间' }
    })
    expect((await refusedAt('2026-11-25T08:59:00')).error.key).toBe('errors.visitOutsideHours')
    expect(env.core.db.prepare('SELECT count(*) FROM outcomes').pluck().get()).toBe(0)
    const r = await outcome(op1, { ...base, consent: true, districtCode: '450105', productInterest: '重疾险' })
    expect(r.leadStatus).toBe('accepted')
    expect(env.core.db.prepare('SELECT district_code, status, lease_by FROM leads WHERE id = ?').get(a)).toEqual({
      district_code: '450105',
      status: 'accepted',
      lease_by: null
    })
    expect(env.core.db.prepare('SELECT success, consent, visit_at FROM outcomes').get()).toEqual({
      success: 1,
      consent: 1,
      visit_at: base.visitAt
    })
  })

  it('no answer retries after its delay and stops at the maximum attempts', async () => {
    await ok(sup.invoke('campaigns.update', { id: 1, settings: { maxAttempts: 2 } }))
    const [a] = insertLeads(env.core.db, 1)
    await nextLead(op1)
    await dial(op1, a)
    expect(await outcome(op1, { leadId: a, disposition: 'no_answer' })).toMatchObject({ leadStatus: 'new' })
    expect((await next(op1)).lead).toBeNull()
    // due again at 12:00, in the lunch break: dialed when the afternoon window opens
    env.clock.set(sh('2026-11-23T12:00:00'))
    expect((await next(op1)).lead).toBeNull()
    env.clock.set(sh('2026-11-23T13:30:00'))
    expect((await nextLead(op1)).lead.id).toBe(a)
    await dial(op1, a)
    expect(await outcome(op1, { leadId: a, disposition: 'no_answer' })).toMatchObject({ leadStatus: 'exhausted' })
  })
})

describe('a call without an outcome (the page was reloaded, the browser crashed, another browser)', () => {
  it('comes back to its operator as unfinished wrap-up, before any new lead, even after its lease ran out; saved once, it is gone', async () => {
    const [a] = insertLeads(env.core.db, 3)
    expect(await ok(op1.invoke('desk.unfinished', {}))).toBeNull()
    await nextLead(op1)
    const { callId } = await dial(op1, a)
    await ok(op1.invoke('calls.end', { callId, cause: 'operator', answered: true }))
    // the desk went away: another connection (a reload, another browser) of the same operator
    const again = await loginAs(env.core, 'op1')
    expect(await ok(again.invoke('desk.unfinished', {}))).toMatchObject({ lead: { id: a }, callId, wrapUpSec: 30 })
    // its lease runs out meanwhile; it still comes back, and is held for the operator again
    env.clock.advance(10 * MIN)
    env.core.desk.sweepLeases()
    const r = await nextLead(again)
    expect(r).toMatchObject({ lead: { id: a }, unfinishedCallId: callId })
    expect(env.core.db.prepare('SELECT lease_by FROM leads WHERE id = ?').pluck().get(a)).not.toBeNull()
    // nobody else gets it meanwhile
    expect((await next(op2)).lead?.id).not.toBe(a)
    await outcome(again, { leadId: a, callId, disposition: 'no_answer' })
    expect(await ok(again.invoke('desk.unfinished', {}))).toBeNull()
    expect((await nextLead(again)).lead.id).not.toBe(a)
  })

  it('not once the lead moved on: a later call by someone else, or another operator holding it', async () => {
    const [a] = insertLeads(env.core.db, 1)
    await nextLead(op1)
    const { callId } = await dial(op1, a)
    await ok(op1.invoke('calls.end', { callId, cause: 'operator', answered: false }))
    env.core.db.prepare("UPDATE leads SET lease_by = (SELECT id FROM users WHERE username = 'op2') WHERE id = ?").run(a)
    expect(await ok(op1.invoke('desk.unfinished', {}))).toBeNull()
    // and a day later it is no longer owed
    env.core.db.prepare('UPDATE leads SET lease_by = NULL WHERE id = ?').run(a)
    expect(await ok(op1.invoke('desk.unfinished', {}))).toMatchObject({ callId })
    env.clock.advance(25 * 60 * MIN)
    expect(await ok((await loginAs(env.core, 'op1')).invoke('desk.unfinished', {}))).toBeNull()
  })
})

describe('number privacy', () => {
  it('operators see masked numbers; the full one goes to the PBX behind a token (pbx-dial.test.ts); unmasking is its own permission, audited', async () => {
    const [a] = insertLeads(env.core.db, 1)
    const l = await nextLead(op1)
    expect(l.lead.phone).toBe('139****0000')
    expect((await dial(op1, a)).dial).toMatch(/^LL[0-9a-f]+$/)
    expect(await op1.invoke('desk.unmask', { leadId: a, reason: '核对号码' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    const qa = await loginAs(env.core, 'qa')
    expect((await ok<DeskLead>(qa.invoke('desk.card', { leadId: a }))).phone).toBe('139****0000')
    expect(await ok(qa.invoke('desk.unmask', { leadId: a, reason: '客户投诉核实' }))).toEqual({ phone: '13900000000' })
    const actions = env.core.db
      .prepare("SELECT action, username FROM audit_log WHERE action LIKE 'desk.unmask%' ORDER BY id")
      .all()
    expect(actions).toEqual([
      { action: 'desk.unmask.denied', username: 'op1' },
      { action: 'desk.unmask', username: 'qa' }
    ])
    // another style: only the last four digits
    await ok((await loginAs(env.core, 'admin')).invoke('settings.update', { maskStyle: 'keepLast4' }))
    expect((await ok<DeskLead>(op1.invoke('desk.card', { leadId: a }))).phone).toBe('*******0000')
  })

  it('an ID number entered on the card is checked, and fills birth date and gender', async () => {
    const [a] = insertLeads(env.core.db, 1)
    await nextLead(op1)
    const idNo = withCheckDigit('45010319900101123')
    const wrong = idNo.slice(0, 17) + (idNo[17] === '0' ? '1' : '0')
    expect(await op1.invoke('desk.saveCard', { leadId: a, idNo: wrong })).toMatchObject({
      ok: false,
      error: { key: 'errors.idCard.badCheckDigit' }
    })
    const card = await ok<DeskLead>(
      op1.invoke('desk.saveCard', {
        leadId: a,
        idNo,
        card: {
          basic: { maritalStatus: 'married' },
          life: { hobbies: '钓鱼' },
          family: [{ relation: '配偶', name: '李明' }],
          insurance: []
        }
      })
    )
    expect(card).toMatchObject({
      birthDate: '1990-01-01',
      gender: 'M',
      idNo: `450103********${idNo.slice(-4)}`,
      card: { life: { hobbies: '钓鱼' }, family: [{ relation: '配偶' }] }
    })
  })
})

describe('agent states and figures', () => {
  it('logs states with times, asks a reason for a pause, and counts only real calls in my figures', async () => {
    expect(await op1.invoke('desk.setState', { state: 'paused' })).toMatchObject({
      ok: false,
      error: { key: 'errors.pauseReasonRequired' }
    })
    await ok(op1.invoke('desk.setState', { state: 'ready' }))
    env.clock.advance(MIN)
    await ok(op1.invoke('desk.setState', { state: 'paused', reason: 'break' }))
    const board = await ok<{ name: string; state: string; reason: string | null }[]>(sup.invoke('desk.board', {}))
    expect(board.find((b) => b.name === '王芳')).toMatchObject({ state: 'paused', reason: 'break' })
    const [a, b] = insertLeads(env.core.db, 2)
    for (const [id, line] of [
      [a, 'sip'],
      [b, 'simulated']
    ] as const) {
      await nextLead(op1)
      const { callId } = await dial(op1, id, line)
      await ok(op1.invoke('recordings.start', { callId, mime: 'audio/webm' }))
      env.clock.advance(90_000)
      await ok(op1.invoke('calls.end', { callId, cause: 'normal', answered: true }))
      await outcome(op1, {
        leadId: id,
        callId,
        disposition: 'accepted',
        consent: true,
        visitAt: sh('2026-11-26T10:00:00').toISOString()
      })
    }
    expect(await ok(op1.invoke('desk.today', {}))).toEqual({
      calls: 1,
      connected: 1,
      talkSec: 90,
      successes: 1,
      target: 20,
      callbacksDue: 0,
      skips: 0,
      skipsPerDay: 20
    })
  })
})

describe('numbers dialed by hand', () => {
  it('obey the legal hours, the do-not-call list and the per-number caps on the real line; extensions and the simulated line are free', async () => {
    const start = (number: string, line: 'sip' | 'simulated' = 'sip') =>
      op1.invoke('calls.start', { direction: 'outbound', line, number })
    const calls = () => env.core.db.prepare('SELECT count(*) FROM calls').pluck().get()
    env.clock.set(sh('2026-11-23T21:30:00'))
    expect(await start('13900000001')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', key: 'desk.blocks.legalHours' }
    })
    expect(calls()).toBe(0)
    expect((await start('1002')).ok).toBe(true) // a colleague's extension
    env.clock.set(sh('2026-11-23T10:00:00'))
    await ok(sup.invoke('dnc.add', { phone: '13900000001', reason: '投诉', days: null }))
    expect(await start('139 0000 0001')).toMatchObject({ ok: false, error: { key: 'desk.blocks.dnc' } })
    expect((await start('+86 139-0000-0002')).ok).toBe(true)
    expect(await start('13900000002')).toMatchObject({ ok: false, error: { key: 'desk.blocks.cap5min' } })
    expect((await start('13900000002', 'simulated')).ok).toBe(true)
    expect(env.core.db.prepare('SELECT phone FROM dial_attempts').pluck().all()).toEqual(['13900000002'])
  })
})

describe('campaigns', () => {
  it('a new campaign starts with the default script and settings; an update is seen at once', async () => {
    const c = await ok<{ id: number; settings: { dialMode: string } }>(
      sup.invoke('campaigns.create', { name: '新活动' })
    )
    expect(c.settings.dialMode).toBe('preview')
    expect(await ok(sup.invoke('scripts.current', { campaignId: c.id }))).toMatchObject({
      version: 1,
      title: '标准约访话术'
    })
    await ok(sup.invoke('campaigns.update', { id: c.id, settings: { dialMode: 'progressive' } }))
    const all = await ok<{ id: number; settings: { dialMode: string } }[]>(op1.invoke('campaigns.list', {}))
    expect(all.find((x) => x.id === c.id)?.settings.dialMode).toBe('progressive')
    expect(await sup.invoke('campaigns.create', { name: '新活动' })).toMatchObject({
      ok: false,
      error: { key: 'errors.campaignExists' }
    })
  })
})

describe('a centre’s first week at the desk', () => {
  const skip = (c: CoreConnection, leadId: number, reason = 'not_now') => c.invoke('desk.release', { leadId, reason })
  const skipsOf = () =>
    env.core.db.prepare('SELECT lead_id, operator_id, reason FROM skips ORDER BY id').all() as {
      lead_id: number
      operator_id: number
      reason: string
    }[]

  it('a skipped pool lead goes behind the others, each skip kept with who and why; a day has its number of skips', async () => {
    const [a, b, c] = insertLeads(env.core.db, 3)
    expect((await nextLead(op1)).lead.id).toBe(a)
    await ok(skip(op1, a, 'bad_data'))
    // not the same lead again: the next one, and the next
    expect((await nextLead(op1)).lead.id).toBe(b)
    await ok(skip(op1, b, 'suspicious'))
    expect((await nextLead(op1)).lead.id).toBe(c)
    await ok(skip(op1, c))
    // nothing else in the pool: the skipped ones come round after skips.retryMinutes (30), not at once
    const empty = await next(op1)
    expect(empty.lead).toBeNull()
    expect((empty as { nextAt: string }).nextAt).toBe(sh('2026-11-23T10:30:00').toISOString())
    env.clock.set(sh('2026-11-23T10:30:00'))
    expect((await nextLead(op1)).lead.id).toBe(a)
    const op1Id = env.core.db.prepare("SELECT id FROM users WHERE username = 'op1'").pluck().get() as number
    expect(skipsOf()).toEqual([
      { lead_id: a, operator_id: op1Id, reason: 'bad_data' },
      { lead_id: b, operator_id: op1Id, reason: 'suspicious' },
      { lead_id: c, operator_id: op1Id, reason: 'not_now' }
    ])
    const history = await ok<{ history: { kind: string; details: Record<string, unknown> | null }[] }>(
      sup.invoke('leads.get', { id: a })
    )
    expect(history.history).toContainEqual(expect.objectContaining({ kind: 'skip', details: { reason: 'bad_data' } }))
    // the cap: 3 a day here; the fourth is refused in words, and the lead stays in hand
    const admin = await loginAs(env.core, 'admin')
    await ok(admin.invoke('settings.update', { skips: { perDay: 3, retryMinutes: 30 } }))
    expect(await skip(op1, a)).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.skipLimit' } })
    expect(await ok<{ skips: number; skipsPerDay: number }>(op1.invoke('desk.today', {}))).toMatchObject({
      skips: 3,
      skipsPerDay: 3
    })
    expect((await nextLead(op1)).lead.id).toBe(a)
    // a dialled lead is not skipped: it owes its outcome
    await dial(op1, a)
    await ok(admin.invoke('settings.update', { skips: { perDay: 20, retryMinutes: 30 } }))
    expect(await skip(op1, a)).toMatchObject({ ok: false, error: { key: 'errors.skipAfterDial' } })
  })

  it('a skipped batch lead comes after the rest of the batch', async () => {
    const ids = insertLeads(env.core.db, 3)
    const op1Id = env.core.db.prepare("SELECT id FROM users WHERE username = 'op1'").pluck().get() as number
    await ok(sup.invoke('allocation.commit', { day: '2026-11-23', perOperator: 3, operatorIds: [op1Id] }))
    const order: number[] = []
    for (let i = 0; i < 4; i++) {
      const l = await nextLead(op1)
      expect(l.source).toBe('batch')
      order.push(l.lead.id)
      await ok(skip(op1, l.lead.id))
    }
    expect(order).toEqual([...ids, ids[0]])
  })

  it('tomorrow’s batch is not dialled today: it comes on its day', async () => {
    const ids = insertLeads(env.core.db, 2)
    const op1Id = env.core.db.prepare("SELECT id FROM users WHERE username = 'op1'").pluck().get() as number
    await ok(sup.invoke('allocation.commit', { day: '2026-11-24', perOperator: 2, operatorIds: [op1Id] }))
    expect((await next(op1)).lead).toBeNull()
    env.clock.set(sh('2026-11-24T10:00:00'))
    op1 = await loginAs(env.core, 'op1')
    const l = await nextLead(op1)
    expect(l).toMatchObject({ source: 'batch' })
    expect(ids).toContain(l.lead.id)
  })

  it('one operator works one lead at one desk: a second desk is refused, or takes over and the first is told and stopped', async () => {
    const [a] = insertLeads(env.core.db, 2)
    const tab1 = await loginAs(env.core, 'op1')
    const heard: unknown[] = []
    tab1.subscribe((name, payload) => name === 'desk.seat' && heard.push(payload))
    const first = await ok<{ lead: { id: number } }>(tab1.invoke('desk.next', { seat: 'tab-one-1234' }))
    expect(first.lead.id).toBe(a)
    // the same operator in a second tab (or the desktop app): refused, in words, while the first works
    const tab2 = await loginAs(env.core, 'op1')
    expect(await tab2.invoke('desk.next', { seat: 'tab-two-5678' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', key: 'errors.deskOpenElsewhere' }
    })
    expect(await tab2.invoke('desk.dial', { leadId: a, line: 'sip', seat: 'tab-two-5678' })).toMatchObject({
      ok: false,
      error: { key: 'errors.deskOpenElsewhere' }
    })
    // a second desk's state changes nothing (the first is still on its lead)
    await ok(tab2.invoke('desk.setState', { state: 'offline', seat: 'tab-two-5678' }))
    expect(env.core.db.prepare('SELECT state FROM agent_states WHERE ended_at IS NULL').pluck().all()).not.toContain(
      'offline'
    )
    // the first desk reloads (a new connection, the same seat): still its lead, no conflict
    const tab1again = await loginAs(env.core, 'op1')
    expect((await ok<{ lead: { id: number } }>(tab1again.invoke('desk.next', { seat: 'tab-one-1234' }))).lead.id).toBe(
      a
    )
    // the operator takes over in the second tab: the same lead, one lead only; the first desk is told and refused
    const taken = await ok<{ lead: { id: number } }>(tab2.invoke('desk.next', { seat: 'tab-two-5678', takeOver: true }))
    expect(taken.lead.id).toBe(a)
    expect(heard).toEqual([expect.objectContaining({ seat: 'tab-two-5678' })])
    expect(await tab1again.invoke('desk.dial', { leadId: a, line: 'sip', seat: 'tab-one-1234' })).toMatchObject({
      ok: false,
      error: { key: 'errors.deskOpenElsewhere' }
    })
    const call = await ok<{ callId: number }>(
      tab2.invoke('desk.dial', { leadId: a, line: 'sip', seat: 'tab-two-5678' })
    )
    await ok(
      tab2.invoke('desk.outcome', { clientId: clientId(), leadId: a, callId: call.callId, disposition: 'no_answer' })
    )
    expect(env.core.db.prepare('SELECT count(*) FROM calls WHERE lead_id = ?').pluck().get(a)).toBe(1)
    // a desk that went quiet past the lease time (a closed laptop) does not hold the seat
    env.clock.advance(4 * MIN)
    const tab3 = await loginAs(env.core, 'op1')
    expect((await tab3.invoke('desk.next', { seat: 'tab-three-9012' })).ok).toBe(true)
  })

  it('a callback is booked inside the legal hours only: not at 03:00, not in the past', async () => {
    const [a] = insertLeads(env.core.db, 1)
    await nextLead(op1)
    const { callId } = await dial(op1, a)
    const book = (at: string) =>
      op1.invoke('desk.outcome', { clientId: clientId(), leadId: a, callId, disposition: 'callback', callbackAt: at })
    expect(await book(sh('2026-11-24T03:00:00').toISOString())).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        key: 'errors.callbackOutsideHours',
        message: expect.stringContaining('11-24 09:00')
      }
    })
    expect(await book(sh('2026-11-23T21:30:00').toISOString())).toMatchObject({
      ok: false,
      error: { key: 'errors.callbackOutsideHours' }
    })
    expect(await book(sh('2026-11-23T09:30:00').toISOString())).toMatchObject({
      ok: false,
      error: { key: 'errors.callbackInPast' }
    })
    expect(env.core.db.prepare('SELECT count(*) FROM callbacks').pluck().get()).toBe(0)
    await ok(book(sh('2026-11-24T09:00:00').toISOString()))
  })
})

describe('training on the simulated line (outside a demo)', () => {
  const trainee = (c: CoreConnection) => ok<Next>(c.invoke('desk.next', { training: true }))

  it('gives made-up customers only, never a real one, and their outcomes change nothing real', async () => {
    const admin = await loginAs(env.core, 'admin')
    await ok(admin.invoke('settings.update', { demoMode: false }))
    const [a, b] = insertLeads(env.core.db, 2)
    const real = env.core.db.prepare(
      'SELECT status, attempts, owner_id, next_at, lease_by FROM leads WHERE id IN (?, ?)'
    )
    const realBefore = real.all(a, b)
    // the trainee's desk: the training campaign, made on first use with the newest open campaign's outcomes and script
    const first = await trainee(op1)
    if (!first.lead) throw new Error('no training lead')
    expect([a, b]).not.toContain(first.lead.id)
    expect(first.lead).toMatchObject({ campaignName: '培训（模拟客户）', phoneKind: 'landline' })
    expect(first.lead.phone).toMatch(/^000/)
    const campaign = env.core.db
      .prepare('SELECT id, training FROM campaigns WHERE name = ?')
      .get('培训（模拟客户）') as {
      id: number
      training: number
    }
    expect(campaign.training).toBe(1)
    // the script the trainee practises is the real campaign's (when it has one of its own)
    const scripts = env.core.db.prepare('SELECT body FROM scripts WHERE campaign_id = ? ORDER BY version DESC LIMIT 1')
    expect(scripts.pluck().get(campaign.id)).toEqual(scripts.pluck().get(1))
    const call = await dial(op1, first.lead.id, 'simulated')
    // a refusal would put the number on do-not-call for 180 days: in training it does not
    await outcome(op1, { leadId: first.lead.id, callId: call.callId, disposition: 'refused' })
    expect(env.core.db.prepare('SELECT count(*) FROM dnc_entries').pluck().get()).toBe(0)
    // the next made-up customer, not the one just practised on; a success sends nothing to the field
    const second = await trainee(op1)
    if (!second.lead) throw new Error('no training lead')
    expect(second.lead.id).not.toBe(first.lead.id)
    const call2 = await dial(op1, second.lead.id, 'simulated')
    await outcome(op1, {
      leadId: second.lead.id,
      callId: call2.callId,
      disposition: 'accepted',
      consent: true,
      visitAt: sh('2026-11-25T10:00:00').toISOString(),
      districtCode: '450103'
    })
    expect(env.core.db.prepare('SELECT count(*) FROM dispatches').pluck().get()).toBe(0)
    expect(env.core.db.prepare('SELECT status, qa_gate FROM leads WHERE id = ?').get(second.lead.id)).toEqual({
      status: 'new',
      qa_gate: null
    })
    expect((await ok<{ successes: number }>(op1.invoke('desk.today', {}))).successes).toBe(0)
    // the real leads were never touched, nor shown
    expect(real.all(a, b)).toEqual(realBefore)
    // made-up customers are no one's leads: not in the pool's search, not in the trainee's own list
    const found = await ok<{ rows: { id: number }[] }>(sup.invoke('leads.search', { limit: 200 }))
    expect(found.rows.map((r) => r.id).sort()).toEqual([a, b].sort())
    expect((await ok<{ rows: unknown[] }>(op1.invoke('leads.search', {}))).rows).toEqual([])
    // a real desk never gets one: op2 on the real line gets the real leads
    expect([a, b]).toContain((await nextLead(op2)).lead.id)
    // the training campaign takes no list and no batch
    const refused = await sup.invoke('allocation.commit', {
      day: '2026-11-23',
      campaignId: campaign.id,
      perOperator: 1
    })
    expect(refused).toMatchObject({ ok: false, error: { key: 'errors.trainingCampaignNoLists' } })
  })

  it('a real customer is not dialled on the simulated line, and a made-up one not on the real line', async () => {
    const admin = await loginAs(env.core, 'admin')
    await ok(admin.invoke('settings.update', { demoMode: false }))
    const [a] = insertLeads(env.core.db, 1)
    expect((await nextLead(op1)).lead.id).toBe(a)
    const onSimulated = await op1.invoke('desk.dial', { leadId: a, line: 'simulated' })
    expect(onSimulated).toMatchObject({ ok: false, error: { key: 'errors.trainingRealLead' } })
    expect(env.core.db.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(0)
    // switching to training gives the real lead back at once and hands a made-up one
    const t = await trainee(op1)
    if (!t.lead) throw new Error('no training lead')
    expect(env.core.db.prepare('SELECT status, lease_by FROM leads WHERE id = ?').get(a)).toEqual({
      status: 'new',
      lease_by: null
    })
    const onSip = await op1.invoke('desk.dial', { leadId: t.lead.id, line: 'sip' })
    expect(onSip).toMatchObject({ ok: false, error: { key: 'errors.trainingLeadRealLine' } })
  })

  it('in a demo the simulated line stands in for the customer: the desk works the real queue', async () => {
    const [a] = insertLeads(env.core.db, 1)
    expect((await trainee(op1)).lead?.id).toBe(a)
    expect(env.core.db.prepare('SELECT count(*) FROM campaigns WHERE training = 1').pluck().get()).toBe(0)
  })
})
