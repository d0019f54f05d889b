import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import type { Live, OperatorRow, Output } from '../../shared/contract'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'

let env: Awaited<ReturnType<typeof makeCore>>
let sup: CoreConnection
const sh = (local: string) => new Date(`${local}+08:00`).toISOString()
const uid = (u: string) => env.core.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(u) as number
let seq = 0

beforeEach(async () => {
  // Tuesday 2026-11-24, 15:00 in Nanning; the centre's day runs from 16:00 UTC to 16:00 UTC
  env = await makeCore({ start: sh('2026-11-24T15:00:00') })
  sup = await loginAs(env.core, 'supervisor')
})
afterEach(() => env.cleanup())

/** A call with its outcome, as the desk leaves them; talk seconds from answer to end. */
function call(
  op: string,
  at: string,
  o: { talk?: number; connected?: boolean; success?: boolean; line?: 'sip' | 'simulated'; leadId?: number } = {}
): number {
  const db = env.core.db
  const start = new Date(at)
  const answered = o.talk !== undefined ? new Date(start.getTime() + 5000).toISOString() : null
  const ended = new Date(start.getTime() + 5000 + (o.talk ?? 0) * 1000).toISOString()
  const lead = o.leadId ?? insertLeads(db, 1, { first: 80000 + ++seq })[0]
  const callId = Number(
    db
      .prepare(
        "INSERT INTO calls (operator_id, lead_id, direction, line, started_at, answered_at, ended_at, campaign_id) VALUES (?, ?, 'outbound', ?, ?, ?, ?, 1)"
      )
      .run(uid(op), lead, o.line ?? 'sip', at, answered, ended).lastInsertRowid
  )
  if (o.connected !== undefined) {
    db.prepare(
      "INSERT INTO outcomes (client_id, lead_id, call_id, operator_id, campaign_id, disposition, label, success, connected, simulated, at) VALUES (?, ?, ?, ?, 1, 'x', 'x', ?, ?, ?, ?)"
    ).run(
      `r-${seq}-${callId}`,
      lead,
      callId,
      uid(op),
      o.success ? 1 : 0,
      o.connected ? 1 : 0,
      o.line === 'simulated' ? 1 : 0,
      ended
    )
    if (o.success) db.prepare("UPDATE leads SET status = 'accepted' WHERE id = ?").run(lead)
  }
  return callId
}

function state(op: string, s: string, from: string, to: string | null, reason: string | null = null) {
  env.core.db
    .prepare('INSERT INTO agent_states (operator_id, state, reason, started_at, ended_at) VALUES (?, ?, ?, ?, ?)')
    .run(uid(op), s, reason, from, to)
}

describe('the operator report', () => {
  it('counts by the centre’s day, boundaries included; talk, handle time, conversion, QA and pauses are right by construction', async () => {
    // 王芳 (op1): 4 calls on the 24th — two connected (60 s and 120 s talk), one a success, one unanswered
    call('op1', sh('2026-11-24T00:30:00'), { talk: 60, connected: true, success: true })
    call('op1', sh('2026-11-24T10:00:00'), { talk: 120, connected: true })
    call('op1', sh('2026-11-24T11:00:00'), { connected: false })
    call('op1', sh('2026-11-24T23:59:00'), { connected: false })
    // outside the day: the 23rd at 23:59 and the 25th at 00:00 (local)
    call('op1', sh('2026-11-23T23:59:00'), { talk: 30, connected: true, success: true })
    call('op1', sh('2026-11-25T00:00:00'), { talk: 30, connected: true })
    // a simulated call never counts
    call('op1', sh('2026-11-24T12:00:00'), { talk: 300, connected: true, success: true, line: 'simulated' })
    // wrap-up 30 s + 60 s; a pause for lunch from 11:50 on the 23rd... only what falls inside the day: none;
    // a break of 10 min on the 24th, a lunch still running since 14:30 (15:00 now: 30 min)
    state('op1', 'wrap_up', sh('2026-11-24T00:31:10'), sh('2026-11-24T00:31:40'))
    state('op1', 'wrap_up', sh('2026-11-24T10:02:10'), sh('2026-11-24T10:03:10'))
    state('op1', 'paused', sh('2026-11-23T23:50:00'), sh('2026-11-24T00:05:00'), 'break') // 5 min inside
    state('op1', 'paused', sh('2026-11-24T13:00:00'), sh('2026-11-24T13:10:00'), 'break')
    state('op1', 'paused', sh('2026-11-24T14:30:00'), null, 'lunch')
    // one QA review of a call of that day: 85 of 100, fail
    const reviewed = env.core.db
      .prepare('SELECT id FROM calls WHERE operator_id = ? AND started_at = ?')
      .pluck()
      .get(uid('op1'), sh('2026-11-24T10:00:00')) as number
    const rec = Number(
      env.core.db
        .prepare(
          "INSERT INTO recordings (call_id, operator_id, file, mime, state, started_at) VALUES (?, ?, 'recordings/x.webm', 'audio/webm', 'done', ?)"
        )
        .run(reviewed, uid('op1'), sh('2026-11-24T10:00:05')).lastInsertRowid
    )
    const card = (
      await ok<{ id: number }>((await loginAs(env.core, 'qa')).invoke('scorecards.current', { campaignId: 1 }))
    ).id
    env.core.db
      .prepare(
        "INSERT INTO qa_reviews (call_id, recording_id, operator_id, reviewer_id, scorecard_id, scores, total, max, auto_failed, verdict, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '[]', 85, 100, 0, 'fail', 'submitted', ?, ?)"
      )
      .run(reviewed, rec, uid('op1'), uid('qa'), card, sh('2026-11-24T12:00:00'), sh('2026-11-24T12:00:00'))

    const rows = await ok<OperatorRow[]>(
      sup.invoke('reports.operators', { from: sh('2026-11-24T00:00:00'), to: sh('2026-11-25T00:00:00') })
    )
    const wang = rows.find((r) => r.operator === '王芳')!
    expect(wang).toMatchObject({
      calls: 4,
      connected: 2,
      connectRate: 0.5,
      talkSec: 180,
      // (180 s talk + 90 s wrap-up) / 2 answered calls
      ahtSec: 135,
      successes: 1,
      conversion: 0.5,
      qaReviews: 1,
      qaAverage: 85,
      qaPassRate: 0,
      pauseSec: { break: 900, lunch: 1800 }
    })
    // operators with nothing that day are not listed
    expect(rows.map((r) => r.operator)).toEqual(['王芳'])
    // the same figures for a period cut inside the day come from the calls themselves (rollups agree with the raw rows)
    const cut = await ok<OperatorRow[]>(
      sup.invoke('reports.operators', { from: sh('2026-11-24T00:00:00'), to: sh('2026-11-24T23:00:00') })
    )
    expect(cut.find((r) => r.operator === '王芳')).toMatchObject({ calls: 3, connected: 2, talkSec: 180, successes: 1 })
    // one campaign only: another campaign's call is left out
    const other = await ok<{ id: number }>(sup.invoke('campaigns.create', { name: '第二活动' }))
    env.core.db
      .prepare(
        "INSERT INTO calls (operator_id, direction, line, started_at, campaign_id) VALUES (?, 'outbound', 'sip', ?, ?)"
      )
      .run(uid('op1'), sh('2026-11-24T16:00:00'), other.id)
    const day = { from: sh('2026-11-24T00:00:00'), to: sh('2026-11-25T00:00:00') }
    expect(
      (await ok<OperatorRow[]>(sup.invoke('reports.operators', { ...day, campaignId: 1 }))).find(
        (r) => r.operator === '王芳'
      )
    ).toMatchObject({ calls: 4 })
    expect(
      (await ok<OperatorRow[]>(sup.invoke('reports.operators', { ...day, campaignId: other.id }))).find(
        (r) => r.operator === '王芳'
      )
    ).toMatchObject({ calls: 1, connected: 0 })
    expect(
      (await ok<OperatorRow[]>(sup.invoke('reports.operators', day))).find((r) => r.operator === '王芳')
    ).toMatchObject({ calls: 5 })
  })
})

describe('the centre’s time zone', () => {
  it('decides the day a call counts on', async () => {
    await ok((await loginAs(env.core, 'admin')).invoke('settings.update', { timeZone: 'America/New_York' }))
    // 03:00 UTC on the 24th is 22:00 on the 23rd in New York
    call('op1', '2026-11-24T03:00:00.000Z', { talk: 20, connected: true })
    const ny = (day: string, next: string) => ({ from: `${day}T05:00:00.000Z`, to: `${next}T05:00:00.000Z` }) // New York midnights (EST)
    expect(
      (await ok<OperatorRow[]>(sup.invoke('reports.operators', ny('2026-11-23', '2026-11-24')))).find(
        (r) => r.operator === '王芳'
      )
    ).toMatchObject({ calls: 1, connected: 1, talkSec: 20 })
    expect(
      (await ok<OperatorRow[]>(sup.invoke('reports.operators', ny('2026-11-24', '2026-11-25')))).find(
        (r) => r.operator === '王芳'
      )
    ).toBeUndefined()
    expect(env.core.db.prepare('SELECT day FROM operator_days WHERE operator_id = ?').pluck().all(uid('op1'))).toEqual([
      '2026-11-23'
    ])
  })
})

describe('the funnel', () => {
  it('follows the leads imported in the period step by step, by batch; rates against the step before', async () => {
    const db = env.core.db
    const a = insertLeads(db, 6, { first: 1000, at: sh('2026-11-24T09:00:00') })
    const b = insertLeads(db, 4, { first: 2000, at: sh('2026-11-24T09:30:00') })
    insertLeads(db, 5, { first: 3000, at: sh('2026-11-23T09:00:00') }) // the day before: not in the funnel
    // dialed: 4 of a, 2 of b; contacted: 3 of a, 1 of b; accepted: 2 of a (dialed means a real call: a[3] was called without an outcome yet)
    call('op1', sh('2026-11-24T09:40:00'), { leadId: a[3] })
    a.slice(0, 3).forEach((id, i) =>
      call('op1', sh('2026-11-24T10:00:00'), { talk: 10, connected: true, success: i < 2, leadId: id })
    )
    call('op2', sh('2026-11-24T10:00:00'), { talk: 10, connected: true, leadId: b[0] })
    call('op2', sh('2026-11-24T10:05:00'), { connected: false, leadId: b[1] })
    // one success dispatched, assigned, signed and followed up
    const o = db.prepare('SELECT id, call_id FROM outcomes WHERE lead_id = ? AND success = 1').get(a[0]) as {
      id: number
      call_id: number
    }
    const d = Number(
      db
        .prepare(
          "INSERT INTO dispatches (lead_id, outcome_id, call_id, operator_id, district_code, unit, visit_at, state, agent_id, package_day, receive_due, assign_due, created_at) VALUES (?, ?, ?, ?, '450103', '450103', ?, 'signed', ?, '2026-11-24', ?, ?, ?)"
        )
        .run(
          a[0],
          o.id,
          o.call_id,
          uid('op1'),
          sh('2026-11-25T10:00:00'),
          uid('agent_qx1'),
          sh('2026-11-24T20:00:00'),
          sh('2026-11-25T09:30:00'),
          sh('2026-11-24T10:10:00')
        ).lastInsertRowid
    )
    db.prepare(
      "INSERT INTO follow_ups (dispatch_id, lead_id, kind, from_at, due_at, state, result, created_at, done_at) VALUES (?, ?, 'visit', ?, ?, 'done', 'satisfied', ?, ?)"
    ).run(
      d,
      a[0],
      sh('2026-11-27T13:30:00'),
      sh('2026-11-28T18:00:00'),
      sh('2026-11-24T12:00:00'),
      sh('2026-11-24T14:00:00')
    )

    const f = await ok<Output<'reports.funnel'>>(
      sup.invoke('reports.funnel', { from: sh('2026-11-24T00:00:00'), to: sh('2026-11-25T00:00:00') })
    )
    expect(f.steps.map((s) => [s.step, s.count])).toEqual([
      ['imported', 10],
      ['dialed', 6],
      ['contacted', 4],
      ['accepted', 2],
      ['qaPassed', 1],
      ['assigned', 1],
      ['visited', 1],
      ['signed', 1],
      ['followedUp', 1]
    ])
    expect(f.steps.find((s) => s.step === 'dialed')!.rate).toBe(0.6)
    expect(f.steps.find((s) => s.step === 'accepted')!.rate).toBe(0.5)
    expect(f.batches.map((x) => [x.counts.imported, x.counts.dialed, x.counts.contacted, x.counts.accepted])).toEqual([
      [6, 4, 3, 2],
      [4, 2, 1, 0]
    ])
  })
})

describe('one rule for every figure', () => {
  it('a call on the simulated line (training, demos) counts nowhere: not in the funnel, the operator report, the wallboard, 派单跟踪 or the desk’s today', async () => {
    const db = env.core.db
    insertLeads(db, 2, { first: 7000, at: sh('2026-11-24T09:00:00') })
    const op1 = await loginAs(env.core, 'op1')
    const clientId = (n: string) => `rule-${n}-${Date.now()}`
    // a simulated success, then a real (SIP) call that is not answered
    for (const line of ['simulated', 'sip'] as const) {
      const { lead } = await ok<{ lead: { id: number } }>(op1.invoke('desk.next', {}))
      const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId: lead.id, line }))
      await ok(
        op1.invoke('calls.end', {
          callId,
          cause: line === 'sip' ? 'no_answer' : 'operator',
          answered: line === 'simulated'
        })
      )
      const success = line === 'simulated'
      await ok(
        op1.invoke('desk.outcome', {
          clientId: clientId(line),
          leadId: lead.id,
          callId,
          disposition: success ? 'accepted' : 'no_answer',
          ...(success ? { consent: true, visitAt: sh('2026-11-26T10:00:00') } : {})
        })
      )
    }
    const day = { from: sh('2026-11-24T00:00:00'), to: sh('2026-11-25T00:00:00') }
    const funnel = await ok<Output<'reports.funnel'>>(sup.invoke('reports.funnel', day))
    expect(Object.fromEntries(funnel.steps.map((x) => [x.step, x.count]))).toMatchObject({
      imported: 2,
      dialed: 1,
      contacted: 0,
      accepted: 0,
      qaPassed: 0
    })
    const me = (await ok<OperatorRow[]>(sup.invoke('reports.operators', day))).find((r) => r.operator === '王芳')!
    expect(me).toMatchObject({ calls: 1, connected: 0, successes: 0, qaReviews: 0 })
    const live = await ok<Live>(sup.invoke('reports.live', {}))
    expect(live.operators.find((o) => o.name === '王芳')).toMatchObject({ calls: 1, connected: 0, successes: 0 })
    const board = await ok<{ chain: Record<string, number> }>(sup.invoke('dispatch.board', day))
    expect(board.chain).toMatchObject({ successes: 0, dispatched: 0 })
    expect(await ok(op1.invoke('desk.today', {}))).toMatchObject({ calls: 1, connected: 0, successes: 0 })
    // the simulated success itself (a demo's) is worked like any other: with no recording, it goes to the supervisors
    expect(
      db.prepare("SELECT count(*) FROM leads WHERE status = 'accepted' AND qa_gate = 'failed'").pluck().get()
    ).toBe(1)
  })
})

describe('number quality', () => {
  it('shares of bad numbers per batch: invalid at import plus vacant, suspended and wrong when dialed', async () => {
    const db = env.core.db
    const ids = insertLeads(db, 8, { first: 6000, at: sh('2026-11-24T09:00:00') })
    const batch = db.prepare('SELECT batch_id FROM leads WHERE id = ?').pluck().get(ids[0]) as number
    db.prepare('UPDATE import_batches SET rows = 10, imported = 8, invalid = 2, created_at = ? WHERE id = ?').run(
      sh('2026-11-24T09:00:00'),
      batch
    )
    // four leads dialed on real calls (a simulated one would not count)
    for (const id of ids.slice(0, 4)) call('op1', sh('2026-11-24T10:00:00'), { leadId: id })
    call('op1', sh('2026-11-24T10:00:00'), { leadId: ids[4], line: 'simulated' })
    db.prepare("UPDATE leads SET attempts = 1, last_outcome = 'vacant' WHERE id IN (?, ?)").run(ids[0], ids[1])
    db.prepare("UPDATE leads SET attempts = 1, last_outcome = 'suspended' WHERE id = ?").run(ids[2])
    db.prepare("UPDATE leads SET attempts = 2, last_outcome = 'no_answer' WHERE id = ?").run(ids[3])
    db.prepare("UPDATE leads SET attempts = 1, last_outcome = 'vacant' WHERE id = ?").run(ids[4])
    const q = await ok<Output<'reports.numberQuality'>>(
      sup.invoke('reports.numberQuality', { from: sh('2026-11-24T00:00:00'), to: sh('2026-11-25T00:00:00') })
    )
    expect(q).toEqual([
      {
        batchId: batch,
        batch: 'test.csv',
        source: 'test',
        rows: 10,
        imported: 8,
        invalidAtImport: 2,
        dialed: 4,
        vacant: 2,
        suspended: 1,
        wrongNumber: 0,
        badShare: 0.5
      }
    ])
  })
})

describe('the live wallboard', () => {
  it('says why leads are not dialable, shows today’s figures, and is told of changes by an event', async () => {
    const db = env.core.db
    const ids = insertLeads(db, 10, { first: 5000 })
    db.prepare("UPDATE leads SET status = 'dnc' WHERE id = ?").run(ids[0])
    db.prepare("UPDATE leads SET status = 'exhausted' WHERE id = ?").run(ids[1])
    db.prepare('UPDATE leads SET attempts = 6 WHERE id = ?').run(ids[2]) // the campaign allows 6
    db.prepare('UPDATE leads SET next_at = ? WHERE id IN (?, ?)').run(sh('2026-11-24T16:00:00'), ids[3], ids[4])
    db.prepare("UPDATE leads SET status = 'refused' WHERE id = ?").run(ids[5])
    db.prepare("UPDATE leads SET status = 'in_queue', lease_by = ?, lease_until = ? WHERE id = ?").run(
      uid('op1'),
      sh('2026-11-24T15:03:00'),
      ids[6]
    )
    call('op1', sh('2026-11-24T09:30:00'), { talk: 42, connected: true, success: true })
    const live = await ok<Live>(sup.invoke('reports.live', {}))
    const c = live.campaigns.find((x) => x.campaignId === 1)!
    // 10 leads + the one the call accepted: dnc 1, exhausted 2, retry 2, done 2, held 1, dialable 3
    expect(c).toMatchObject({
      windowOpen: true,
      dnc: 1,
      exhausted: 2,
      retryPending: 2,
      held: 1,
      done: 2,
      dialableNow: 3,
      outsideWindow: 0,
      calls: 1,
      connected: 1,
      successes: 1
    })
    expect(live.operators.find((o) => o.name === '王芳')).toMatchObject({
      calls: 1,
      connected: 1,
      talkSec: 42,
      successes: 1,
      target: 20
    })

    // at 19:00 the default window (Mon–Fri 13:30–18:00) is closed: the same leads are outside the window
    env.clock.set(sh('2026-11-24T19:00:00'))
    const later = (await ok<Live>(sup.invoke('reports.live', {}))).campaigns.find((x) => x.campaignId === 1)!
    expect(later).toMatchObject({ windowOpen: false, dialableNow: 0, outsideWindow: 5 })

    // an operator's state change reaches the board as an event (coalesced), no polling
    const seen: string[] = []
    const conn = env.core.connect({ source: 'test' })
    await conn.invoke('auth.login', { username: 'supervisor', password: 'demo1234' })
    conn.subscribe((e) => seen.push(e))
    const op = await loginAs(env.core, 'op1')
    await ok(op.invoke('desk.setState', { state: 'ready' }))
    await expect.poll(() => seen.includes('board.changed'), { timeout: 3000 }).toBe(true)
  })
})

describe('the queue health behind the wallboard', () => {
  /** The same figures counted the slow way, from every lead of the campaign (the oracle). */
  const scan = (max: number, now: string) =>
    env.core.db
      .prepare(
        `SELECT
           coalesce(sum(status IN ('refused', 'invalid_number', 'accepted')), 0) AS done,
           coalesce(sum(status = 'dnc'), 0) AS dnc,
           coalesce(sum(status = 'exhausted' OR (status IN ('new', 'allocated', 'callback') AND attempts >= @max)), 0) AS exhausted,
           coalesce(sum(status IN ('in_queue', 'in_call')), 0) AS held,
           coalesce(sum(status IN ('new', 'allocated', 'callback') AND attempts < @max AND lease_by IS NULL AND next_at > @now), 0) AS retry,
           coalesce(sum(status IN ('new', 'allocated', 'callback') AND attempts < @max AND lease_by IS NULL AND (next_at IS NULL OR next_at <= @now)), 0) AS ready
         FROM leads WHERE campaign_id = 1`
      )
      .get({ max, now })

  it('keeps per-status counts that agree with a full count through an import and the day’s changes', async () => {
    const repo = env.core.reports.repo
    const now = sh('2026-11-24T10:00:00')
    const ids = insertLeads(env.core.db, 12_000, { first: 70_000 })
    // the import is counted in chunks (never by a trigger: that would triple an import's time)
    let chunks = 0
    while (repo.catchUpCounts(5_000) > 0) chunks++
    expect(chunks).toBe(3)
    expect(repo.queueHealth(1, 6, now)).toEqual(scan(6, now))
    // the day's work changes statuses, retry times and attempts
    const db = env.core.db
    db.prepare("UPDATE leads SET status = 'refused', attempts = 1 WHERE id IN (?, ?, ?)").run(ids[0], ids[1], ids[2])
    db.prepare("UPDATE leads SET status = 'dnc' WHERE id = ?").run(ids[3])
    db.prepare('UPDATE leads SET attempts = 2, next_at = ? WHERE id IN (?, ?)').run(
      sh('2026-11-24T16:00:00'),
      ids[4],
      ids[5]
    )
    db.prepare('UPDATE leads SET attempts = 6, next_at = ? WHERE id = ?').run(sh('2026-11-24T08:00:00'), ids[6])
    db.prepare("UPDATE leads SET status = 'allocated', owner_id = ?, attempts = 1, next_at = ? WHERE id = ?").run(
      uid('op1'),
      sh('2026-11-24T12:00:00'),
      ids[7]
    )
    db.prepare("UPDATE leads SET status = 'in_queue', lease_by = ?, lease_until = ? WHERE id = ?").run(
      uid('op2'),
      sh('2026-11-24T10:03:00'),
      ids[8]
    )
    // a lead moved to another campaign leaves this one's counts
    db.prepare("INSERT INTO campaigns (name, created_at) VALUES ('第二活动', ?)").run(now)
    db.prepare('UPDATE leads SET campaign_id = 2 WHERE id = ?').run(ids[9])
    expect(repo.queueHealth(1, 6, now)).toEqual(scan(6, now))
    // a lower maximum of attempts: more leads are spent, without touching a row
    expect(repo.queueHealth(1, 2, now)).toEqual(scan(2, now))
    // later in the day the retries fall due
    expect(repo.queueHealth(1, 6, sh('2026-11-24T17:00:00'))).toEqual(scan(6, sh('2026-11-24T17:00:00')))
    // leads added after the last catch-up are counted by the next one, not by a trigger
    insertLeads(env.core.db, 10, { first: 90_000 })
    expect(repo.queueHealth(1, 6, now).ready).toBe((scan(6, now) as { ready: number }).ready - 10)
    repo.catchUpCounts()
    expect(repo.queueHealth(1, 6, now)).toEqual(scan(6, now))
  })
})

describe('the daily report', () => {
  it('is made at 19:30 once, with its four sheets, and on demand for any day', async () => {
    call('op1', sh('2026-11-24T10:00:00'), { talk: 60, connected: true, success: true })
    expect(await env.core.reports.tick()).toBeNull()
    env.clock.set(sh('2026-11-24T19:30:00'))
    expect(await env.core.reports.tick()).toBe('2026-11-24')
    expect(await env.core.reports.tick()).toBeNull()
    sup = await loginAs(env.core, 'supervisor')
    expect(await ok(sup.invoke('reports.dailyList', {}))).toMatchObject([{ day: '2026-11-24' }])
    const r = await ok<{ token: string; fileName: string }>(sup.invoke('reports.daily', { day: '2026-11-24' }))
    expect(r.fileName).toBe('日报-2026-11-24.xlsx')
    const ExcelJS = (await import('exceljs')).default
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(
      Buffer.from(
        (await ok<{ data: string }>(sup.invoke('downloads.read', { token: r.token }))).data,
        'base64'
      ) as never
    )
    expect(wb.worksheets.map((w) => w.name)).toEqual(['坐席报表', '转化漏斗', '号码质量', '当日成功单', '逾期回访'])
    expect(wb.worksheets[0].getRow(2).getCell(2).value).toBe(1)
    expect(wb.worksheets[3].rowCount).toBe(2)
    // another day, on demand
    expect(await ok(sup.invoke('reports.daily', { day: '2026-11-23' }))).toMatchObject({
      fileName: '日报-2026-11-23.xlsx'
    })
  })
})

describe('the XLSX export', () => {
  it('holds the figures of the screen', async () => {
    call('op2', sh('2026-11-24T10:00:00'), { talk: 50, connected: true, success: true })
    const period = { from: sh('2026-11-24T00:00:00'), to: sh('2026-11-25T00:00:00') }
    const rows = await ok<OperatorRow[]>(sup.invoke('reports.operators', period))
    const x = await ok<{ token: string }>(sup.invoke('reports.export', { report: 'operators', ...period }))
    const ExcelJS = (await import('exceljs')).default
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(
      Buffer.from(
        (await ok<{ data: string }>(sup.invoke('downloads.read', { token: x.token }))).data,
        'base64'
      ) as never
    )
    const ws = wb.worksheets[0]
    expect(ws.getRow(1).getCell(1).value).toBe('坐席')
    expect([2, 3, 4, 5, 6, 7].map((c) => ws.getRow(2).getCell(c).value)).toEqual([
      rows[0].calls,
      rows[0].connected,
      rows[0].connectRate,
      rows[0].talkSec,
      rows[0].ahtSec,
      rows[0].successes
    ])
    expect(
      await (await loginAs(env.core, 'op1')).invoke('reports.export', { report: 'operators', ...period })
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})
