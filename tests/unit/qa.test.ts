import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import type { LibraryRow, Review } from '../../shared/contract'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { peaksOf, recordCall } from '../helpers/peaks'

let env: Awaited<ReturnType<typeof makeCore>>
let op1: CoreConnection
let op2: CoreConnection
let qa: CoreConnection
let sup: CoreConnection
let n = 0
const sh = (local: string) => new Date(`${local}+08:00`)
const clientId = () => `qa-test-${++n}-${Date.now()}`
/** A quiet 20 s call: both talk in turn, nobody talks over the other. */
const calm = () =>
  peaksOf(
    20,
    [
      [0, 4],
      [10, 12]
    ],
    [
      [5, 9],
      [13, 16]
    ]
  )

beforeEach(async () => {
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  op1 = await loginAs(env.core, 'op1')
  op2 = await loginAs(env.core, 'op2')
  qa = await loginAs(env.core, 'qa')
  sup = await loginAs(env.core, 'supervisor')
})
afterEach(() => env.cleanup())

/** A queue lead dialed on the SIP line, recorded, and closed with the outcome. */
async function workedCall(op: CoreConnection, leadId: number, disposition: string, peaks = calm(), audio?: Buffer) {
  await ok(op.invoke('desk.next', {}))
  const { callId } = await ok<{ callId: number }>(op.invoke('desk.dial', { leadId, line: 'sip' }))
  const recordingId = await recordCall(op, callId, peaks, audio)
  const success = disposition === 'accepted'
  await ok(
    op.invoke('desk.outcome', {
      clientId: clientId(),
      leadId,
      callId,
      disposition,
      ...(success ? { consent: true, visitAt: sh('2026-11-25T10:00:00').toISOString(), districtCode: '450103' } : {})
    })
  )
  return { callId, recordingId }
}

const scoresAll = (
  card: { items: { id: string; points: number }[] },
  over: Record<string, { score?: number; failed?: boolean }> = {}
) =>
  card.items.map((i) => ({ itemId: i.id, score: over[i.id]?.score ?? i.points, failed: over[i.id]?.failed ?? false }))

async function scorecard() {
  return (
    await ok<{ id: number; body: { items: { id: string; points: number; autoFail: boolean }[]; passMark: number } }>(
      qa.invoke('scorecards.current', { campaignId: 1 })
    )
  ).body
}

describe('the review queue', () => {
  it('takes every success (first, before dispatch), calls a metric rule catches, and flagged calls; reasons add up', async () => {
    // no weekly sample here (it has its own test): what is queued is queued by these rules alone
    const { settings } = await ok<{ settings: { qa: object } }>(sup.invoke('campaigns.update', { id: 1 }))
    await ok(sup.invoke('campaigns.update', { id: 1, settings: { qa: { ...settings.qa, samplePercent: 0 } } }))
    const leads = insertLeads(env.core.db, 4)
    const success = await workedCall(op1, leads[0], 'accepted')
    // the operator talks over the customer for a third of the call
    const overlap = await workedCall(op1, leads[1], 'refused', peaksOf(30, [[0, 20]], [[10, 25]]))
    const quiet = await workedCall(op1, leads[2], 'refused')
    const queue = await ok<(LibraryRow & { gate: boolean; reasons: string[] })[]>(qa.invoke('qa.queue', {}))
    expect(queue[0]).toMatchObject({ callId: success.callId, gate: true, reasons: ['success'] })
    const overlapEntry = queue.find((q) => q.callId === overlap.callId)!
    expect(overlapEntry.reasons).toEqual(['metric:talkOverShare>0.1'])
    expect(overlapEntry.metrics!.talkOverShare).toBeGreaterThan(0.3)
    // a quiet refused call is not reviewed by any rule
    expect(queue.find((q) => q.callId === quiet.callId)).toBeUndefined()
    // the operator flags their own call; another operator may not
    expect(await op2.invoke('qa.flag', { callId: overlap.callId, reason: '客户说没听清' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    await ok(op1.invoke('qa.flag', { callId: overlap.callId, reason: '客户情绪激动，请质检复核' }))
    const again = await ok<(LibraryRow & { reasons: string[] })[]>(qa.invoke('qa.queue', {}))
    expect(again.find((q) => q.callId === overlap.callId)!.reasons).toEqual(['metric:talkOverShare>0.1', 'flag'])
    // the success waits at the gate: not yet for dispatch
    expect(env.core.db.prepare('SELECT status, qa_gate FROM leads WHERE id = ?').get(leads[0])).toEqual({
      status: 'accepted',
      qa_gate: 'pending'
    })
  })

  it('samples the set share of each operator’s week exactly, at positions nobody can predict', async () => {
    const db = env.core.db
    const sampled: number[][] = []
    for (const op of [op1, op2]) {
      const me = {
        user: {
          id: env.core.db
            .prepare('SELECT id FROM users WHERE username = ?')
            .pluck()
            .get(op === op1 ? 'op1' : 'op2') as number
        }
      }
      const picked: number[] = []
      for (let i = 0; i < 100; i++) {
        const callId = Number(
          db
            .prepare(
              "INSERT INTO calls (operator_id, direction, line, started_at, campaign_id) VALUES (?, 'outbound', 'sip', ?, 1)"
            )
            .run(me.user.id, sh('2026-11-24T11:00:00').toISOString()).lastInsertRowid
        )
        db.prepare(
          "INSERT INTO recordings (call_id, operator_id, file, mime, state, started_at, peaks) VALUES (?, ?, 'recordings/x.webm', 'audio/webm', 'done', ?, ?)"
        ).run(callId, me.user.id, sh('2026-11-24T11:00:00').toISOString(), calm())
        const lead = insertLeads(db, 1, { first: 5000 + i + (op === op2 ? 1000 : 0) })[0]
        db.prepare(
          "INSERT INTO outcomes (client_id, lead_id, call_id, operator_id, campaign_id, disposition, label, success, connected, at) VALUES (?, ?, ?, ?, 1, 'refused', '拒绝', 0, 1, ?)"
        ).run(clientId(), lead, callId, me.user.id, sh('2026-11-24T11:00:00').toISOString())
        env.core.qa.queue.consider(callId)
        if (db.prepare('SELECT qa_sampled FROM calls WHERE id = ?').pluck().get(callId) === 1) picked.push(i)
        // considered once: asking again draws nothing new
        env.core.qa.queue.consider(callId)
      }
      sampled.push(picked)
    }
    // 5% → one in every block of 20 calls, in each block somewhere
    for (const picked of sampled) {
      expect(picked).toHaveLength(5)
      expect(picked.map((i) => Math.floor(i / 20))).toEqual([0, 1, 2, 3, 4])
    }
    // the two operators' draws are independent (the same positions for both would be a 1 in 20^5 chance)
    expect(sampled[0]).not.toEqual(sampled[1])
  })

  it('a claim keeps a second reviewer off the call until it is released or runs out', async () => {
    const [lead] = insertLeads(env.core.db, 1)
    const { callId } = await workedCall(op1, lead, 'accepted')
    await ok(
      (await loginAs(env.core, 'admin')).invoke('users.create', {
        username: 'qa2',
        displayName: '赵静',
        role: 'qa',
        password: 'Second-QA-2026'
      })
    )
    const qa2 = await loginAs(env.core, 'qa2', 'Second-QA-2026')
    const mine = await ok<{ callId: number }>(qa.invoke('qa.claim', {}))
    expect(mine.callId).toBe(callId)
    expect(await qa2.invoke('qa.claim', { callId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', key: 'errors.qaClaimedBy' }
    })
    expect(await ok(qa2.invoke('qa.claim', {}))).toBeNull()
    // scoring needs the claim
    const card = await scorecard()
    expect(await qa2.invoke('qa.submit', { callId, scores: scoresAll(card), verdict: 'pass' })).toMatchObject({
      ok: false,
      error: { key: 'errors.qaNotClaimed' }
    })
    // 30 minutes later the claim has run out
    env.clock.advance(31 * 60_000)
    expect(await ok<{ callId: number }>(qa2.invoke('qa.claim', {}))).toMatchObject({ callId })
    expect(await qa.invoke('qa.claim', { callId })).toMatchObject({ ok: false, error: { key: 'errors.qaClaimedBy' } })
    await ok(qa2.invoke('qa.release', { callId }))
    expect(await ok<{ callId: number }>(qa.invoke('qa.claim', { callId }))).toMatchObject({ callId })
  })
})

describe('scorecards and reviews', () => {
  it('totals the items, an auto-fail item fails the call on its own, a pass needs the pass mark', async () => {
    const [lead] = insertLeads(env.core.db, 1)
    const { callId } = await workedCall(op1, lead, 'refused')
    await ok(qa.invoke('qa.claim', { callId }))
    const card = await scorecard()
    expect(card.items.filter((i) => i.autoFail).map((i) => i.id)).toEqual(['misleading', 'consent'])
    // misleading about returns: fail, whatever the points
    expect(
      await qa.invoke('qa.submit', {
        callId,
        scores: scoresAll(card, { misleading: { failed: true } }),
        verdict: 'pass'
      })
    ).toMatchObject({
      ok: false,
      error: { key: 'errors.qaAutoFailVerdict' }
    })
    // 70 of 100 is under the pass mark of 80
    expect(
      await qa.invoke('qa.submit', {
        callId,
        scores: scoresAll(card, { accuracy: { score: 0 }, identity: { score: 0 } }),
        verdict: 'pass'
      })
    ).toMatchObject({
      ok: false,
      error: { key: 'errors.qaBelowPassMark' }
    })
    expect(
      await qa.invoke('qa.submit', { callId, scores: scoresAll(card, { accuracy: { score: 21 } }), verdict: 'pass' })
    ).toMatchObject({ ok: false, error: { key: 'errors.qaScoreTooHigh' } })
    expect(await qa.invoke('qa.submit', { callId, scores: scoresAll(card).slice(1), verdict: 'pass' })).toMatchObject({
      ok: false,
      error: { key: 'errors.qaScoresIncomplete' }
    })
    // nothing was stored by the refusals
    expect(env.core.db.prepare('SELECT count(*) FROM qa_reviews').pluck().get()).toBe(0)
    const r = await ok<Review>(
      qa.invoke('qa.submit', {
        callId,
        scores: scoresAll(card, { misleading: { failed: true }, attitude: { score: 10 } }),
        verdict: 'fail',
        comment: '承诺保本'
      })
    )
    expect(r).toMatchObject({ total: 95, max: 100, autoFailed: true, verdict: 'fail', state: 'submitted' })
    expect(r.scores.find((s) => s.itemId === 'misleading')).toMatchObject({ failed: true, score: 0 })
    // the queue entry is done; a second review of the same call is refused
    expect(await ok<LibraryRow[]>(qa.invoke('qa.queue', {}))).toEqual([])
    expect(await qa.invoke('qa.claim', { callId })).toMatchObject({
      ok: false,
      error: { key: 'errors.qaAlreadyReviewed' }
    })
  })

  it('the operator sees the verdict and appeals; a supervisor upholds, overturns or reopens; every step is kept', async () => {
    const leads = insertLeads(env.core.db, 2)
    const a = await workedCall(op1, leads[0], 'refused')
    const card = await scorecard()
    await ok(qa.invoke('qa.claim', { callId: a.callId }))
    const r = await ok<Review>(
      qa.invoke('qa.submit', {
        callId: a.callId,
        scores: scoresAll(card, { listening: { score: 0 }, needs: { score: 0 } }),
        verdict: 'fix',
        comment: '抢话严重'
      })
    )
    const mine = await ok<Review[]>(op1.invoke('qa.myReviews', {}))
    expect(mine).toMatchObject([{ id: r.id, verdict: 'fix', total: 70, comment: '抢话严重' }])
    expect(await ok<Review[]>(op2.invoke('qa.myReviews', {}))).toEqual([])
    expect(await op2.invoke('qa.appeal', { reviewId: r.id, reason: '不是我的' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
    await ok(op1.invoke('qa.appeal', { reviewId: r.id, reason: '客户先打断我，我没有抢话' }))
    expect(await op1.invoke('qa.appeal', { reviewId: r.id, reason: '再申诉一次' })).toMatchObject({
      ok: false,
      error: { key: 'errors.qaNotAppealable' }
    })
    expect(await ok<{ id: number; appealReason: string }[]>(sup.invoke('qa.appeals', {}))).toMatchObject([
      { id: r.id, appealReason: '客户先打断我，我没有抢话' }
    ])
    // reopened: back to its reviewer, first in the queue, already claimed by them
    await ok(sup.invoke('qa.decide', { reviewId: r.id, decision: 'reopen', note: '请重听 02:10 处' }))
    const q = await ok<{ callId: number; mine: boolean }[]>(qa.invoke('qa.queue', {}))
    expect(q[0]).toMatchObject({ callId: a.callId, mine: true })
    const again = await ok<Review>(
      qa.invoke('qa.submit', { callId: a.callId, scores: scoresAll(card), verdict: 'pass', comment: '复核后合格' })
    )
    expect(again).toMatchObject({ id: r.id, verdict: 'pass', total: 100, state: 'submitted' })
    expect(again.events.map((e) => e.action)).toEqual(['submitted', 'appealed', 'reopened', 'resubmitted'])
    // the history cannot be rewritten
    expect(() => env.core.db.prepare('DELETE FROM qa_review_events').run()).toThrow(/append-only/)

    // a second call: fail → appeal → overturned to pass by the supervisor
    const b = await workedCall(op1, leads[1], 'refused')
    await ok(qa.invoke('qa.claim', { callId: b.callId }))
    const rb = await ok<Review>(
      qa.invoke('qa.submit', { callId: b.callId, scores: scoresAll(card, { accuracy: { score: 0 } }), verdict: 'fail' })
    )
    await ok(op1.invoke('qa.appeal', { reviewId: rb.id, reason: '产品介绍无误' }))
    expect(
      await sup.invoke('qa.decide', { reviewId: rb.id, decision: 'overturn', verdict: 'fail', note: 'x' })
    ).toMatchObject({ ok: false, error: { key: 'errors.qaOverturnVerdict' } })
    expect(await op1.invoke('qa.decide', { reviewId: rb.id, decision: 'uphold', note: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    const decided = await ok<Review>(
      sup.invoke('qa.decide', { reviewId: rb.id, decision: 'overturn', verdict: 'pass', note: '介绍准确，改判合格' })
    )
    expect(decided).toMatchObject({ verdict: 'pass', state: 'final' })
    expect(decided.events.map((e) => [e.action, e.verdict])).toEqual([
      ['submitted', 'fail'],
      ['appealed', null],
      ['overturned', 'pass']
    ])
  })
})

describe('the success gate', () => {
  it('a pass releases the accepted lead to dispatch; a fail returns it to the supervisors with the reason', async () => {
    const leads = insertLeads(env.core.db, 2)
    const good = await workedCall(op1, leads[0], 'accepted')
    const bad = await workedCall(op1, leads[1], 'accepted')
    const card = await scorecard()
    const gate = (id: number) => env.core.db.prepare('SELECT status, qa_gate, qa_note FROM leads WHERE id = ?').get(id)
    expect(gate(leads[0])).toEqual({ status: 'accepted', qa_gate: 'pending', qa_note: null })
    await ok(qa.invoke('qa.claim', { callId: good.callId }))
    await ok(qa.invoke('qa.submit', { callId: good.callId, scores: scoresAll(card), verdict: 'pass' }))
    expect(gate(leads[0])).toEqual({ status: 'accepted', qa_gate: 'passed', qa_note: null })
    // released to dispatch only now: the district's leader has it
    const dispatched = (leadId: number) =>
      env.core.db.prepare('SELECT count(*) FROM dispatches WHERE lead_id = ?').pluck().get(leadId)
    expect(dispatched(leads[0])).toBe(1)
    expect(dispatched(leads[1])).toBe(0)
    await ok(qa.invoke('qa.claim', { callId: bad.callId }))
    await ok(
      qa.invoke('qa.submit', {
        callId: bad.callId,
        scores: scoresAll(card, { consent: { failed: true } }),
        verdict: 'fail',
        comment: '未取得信息共享同意'
      })
    )
    expect(gate(leads[1])).toEqual({ status: 'accepted', qa_gate: 'failed', qa_note: '未取得信息共享同意' })
    expect(dispatched(leads[1])).toBe(0)
    const returned = await ok<{ leadId: number; reason: string; operatorName: string }[]>(sup.invoke('qa.returned', {}))
    expect(returned).toMatchObject([{ leadId: leads[1], reason: '未取得信息共享同意', operatorName: '王芳' }])
    // back to the operator as a callback due now (the number's 5-minute cap has passed by then)
    env.clock.advance(6 * 60_000)
    await ok(sup.invoke('qa.settleReturned', { leadId: leads[1], action: 'recall', note: '请重新取得同意' }))
    expect(env.core.db.prepare('SELECT status, qa_gate FROM leads WHERE id = ?').get(leads[1])).toEqual({
      status: 'callback',
      qa_gate: null
    })
    const next = await ok<{ lead: { id: number } | null; source: string }>(op1.invoke('desk.next', {}))
    // the operator's desk says why: QA's reason and the supervisor's word
    expect(next).toMatchObject({
      lead: { id: leads[1] },
      source: 'callback',
      callbackNote: '质检退回，请重新致电：未取得信息共享同意。主管：请重新取得同意'
    })
    expect(await ok(sup.invoke('qa.returned', {}))).toEqual([])
  })

  it('a success whose call has no recording does not wait at the gate: the supervisors have it at once, as 无录音', async () => {
    const [leadId] = insertLeads(env.core.db, 1)
    await ok(op1.invoke('desk.next', {}))
    const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId, line: 'sip' }))
    // the recorder never started (no recordings.start): nothing for QA to hear
    await ok(
      op1.invoke('desk.outcome', {
        clientId: clientId(),
        leadId,
        callId,
        disposition: 'accepted',
        consent: true,
        visitAt: sh('2026-11-25T10:00:00').toISOString(),
        districtCode: '450103'
      })
    )
    expect(env.core.db.prepare('SELECT qa_gate, qa_note FROM leads WHERE id = ?').get(leadId)).toEqual({
      qa_gate: 'failed',
      qa_note: 'no_recording'
    })
    expect(env.core.db.prepare('SELECT count(*) FROM dispatches').pluck().get()).toBe(0)
    expect(await ok(sup.invoke('qa.returned', {}))).toMatchObject([
      { leadId, reviewId: null, recordingId: null, verdict: null, reason: 'no_recording', operatorName: '王芳' }
    ])
    // the supervisor sends it back to be called again (on record)
    env.clock.advance(6 * 60_000)
    await ok(sup.invoke('qa.settleReturned', { leadId, action: 'recall' }))
    expect(await ok(sup.invoke('qa.returned', {}))).toEqual([])
    expect(await ok(op1.invoke('desk.next', {}))).toMatchObject({
      lead: { id: leadId },
      source: 'callback',
      callbackNote: '质检退回，请重新致电：约访成功的电话没有录音，请在录音的线路上重新确认'
    })
  })

  it('a campaign without the gate sends successes straight on', async () => {
    await ok(
      sup.invoke('campaigns.update', {
        id: 1,
        settings: { qa: { gate: false, reviewSuccesses: true, samplePercent: 0, rules: [] } }
      })
    )
    const [lead] = insertLeads(env.core.db, 1)
    await workedCall(op1, lead, 'accepted')
    expect(env.core.db.prepare('SELECT qa_gate FROM leads WHERE id = ?').pluck().get(lead)).toBeNull()
    expect(await ok<{ gate: boolean }[]>(qa.invoke('qa.queue', {}))).toMatchObject([
      { gate: false, reasons: ['success'] }
    ])
  })
})

describe('the library', () => {
  it('finds recordings by part of the number or name, outcome, QA state and duration; operators cannot browse it', async () => {
    const leads = insertLeads(env.core.db, 3, { first: 12345 })
    await workedCall(op1, leads[0], 'accepted')
    await workedCall(op2, leads[1], 'refused', peaksOf(40, [[0, 10]], [[12, 20]]))
    await workedCall(op1, leads[2], 'refused')
    const lib = (filter: object, extra: object = {}) =>
      ok<{ rows: LibraryRow[]; total: number }>(qa.invoke('qa.library', { filter, ...extra }))
    expect((await lib({})).total).toBe(3)
    // 139 0001 2346: the reviewer sees numbers masked, so finds a call by its whole number only (a part
    // would let the digits behind the mask be guessed); the supervisor, who sees them, by any part (below)
    expect((await lib({ q: '0012346' })).rows).toEqual([])
    const byPhone = await lib({ q: '13900012346' })
    expect(byPhone.rows.map((r) => r.leadId)).toEqual([leads[1]])
    expect(byPhone.rows[0].phone).toMatch(/^139\*{4}\d{4}$/)
    expect((await lib({ q: '客户2' })).rows.map((r) => r.leadId)).toEqual([leads[2]])
    expect((await lib({ disposition: 'accepted' })).rows.map((r) => r.leadId)).toEqual([leads[0]])
    expect((await lib({ minDurationSec: 30 })).rows.map((r) => r.leadId)).toEqual([leads[1]])
    expect((await lib({ qaState: 'queued' })).rows.map((r) => r.leadId)).toContain(leads[0])
    expect((await lib({}, { sort: 'durationMs', dir: 'desc', limit: 1 })).rows[0].leadId).toBe(leads[1])
    expect((await lib({ districtCode: '450103' })).total).toBe(3)
    expect(await op1.invoke('qa.library', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // the supervisor sees numbers whole
    expect(
      (await ok<{ rows: LibraryRow[] }>(sup.invoke('qa.library', { filter: { q: '0012346' } }))).rows[0].phone
    ).toBe('13900012346')
  })

  it('charts the metrics per operator with their QA figures', async () => {
    const leads = insertLeads(env.core.db, 2)
    const a = await workedCall(op1, leads[0], 'refused', peaksOf(30, [[0, 20]], [[10, 25]]))
    await workedCall(op2, leads[1], 'refused')
    await ok(qa.invoke('qa.claim', { callId: a.callId }))
    await ok(
      qa.invoke('qa.submit', {
        callId: a.callId,
        scores: scoresAll(await scorecard(), { listening: { score: 0 } }),
        verdict: 'fix'
      })
    )
    const stats = await ok<
      {
        operatorName: string
        calls: number
        talkOverShare: number
        reviews: number
        passRate: number | null
        averageScore: number | null
      }[]
    >(
      qa.invoke('qa.operatorStats', {
        from: sh('2026-11-23T00:00:00').toISOString(),
        to: sh('2026-11-24T00:00:00').toISOString()
      })
    )
    const wang = stats.find((s) => s.operatorName === '王芳')!
    const chen = stats.find((s) => s.operatorName === '陈强')!
    expect(wang).toMatchObject({ calls: 1, reviews: 1, passRate: 0, averageScore: 85 })
    expect(wang.talkOverShare).toBeGreaterThan(0.3)
    expect(chen).toMatchObject({ calls: 1, talkOverShare: 0, reviews: 0, passRate: null })
  })
})

describe('annotations and the review context', () => {
  it('shows ticked steps as markers, flags missing mandatory steps, keeps annotations', async () => {
    const [lead] = insertLeads(env.core.db, 1)
    await ok(op1.invoke('desk.next', {}))
    const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId: lead, line: 'sip' }))
    await ok(op1.invoke('desk.tick', { callId, stepId: 'identity', offsetMs: 1200 }))
    await ok(op1.invoke('desk.tick', { callId, stepId: 'notice', offsetMs: 5400 }))
    const recordingId = await recordCall(op1, callId, calm())
    await ok(qa.invoke('qa.claim', { callId }))
    const note = await ok<{ id: number }>(
      qa.invoke('qa.annotate', { recordingId, startMs: 3000, endMs: 6000, comment: '语速过快', itemId: 'attitude' })
    )
    const c = await ok<{
      ticks: { stepId: string; offsetMs: number; title: string }[]
      missingSteps: { stepId: string }[]
      annotations: { comment: string }[]
      claim: { mine: boolean }
      metrics: { hungUpBy: string }
    }>(qa.invoke('qa.context', { recordingId }))
    expect(c.ticks).toMatchObject([
      { stepId: 'identity', offsetMs: 1200, title: '身份说明' },
      { stepId: 'notice', offsetMs: 5400, title: '录音告知' }
    ])
    expect(c.missingSteps.map((s) => s.stepId)).toEqual(['consent'])
    expect(c.annotations).toMatchObject([{ comment: '语速过快' }])
    expect(c.claim).toMatchObject({ mine: true })
    expect(c.metrics.hungUpBy).toBe('operator')
    // a recording made before metrics were kept (an older version) gets them when it is opened
    env.core.db.prepare('DELETE FROM recording_metrics').run()
    expect((await ok<{ rows: LibraryRow[] }>(qa.invoke('qa.library', {}))).rows[0]).toMatchObject({
      recordingId,
      metrics: null
    })
    expect(await ok(qa.invoke('qa.context', { recordingId }))).toMatchObject({
      call: { recordingId, callId },
      metrics: { hungUpBy: 'operator' }
    })
    const sup2 = await loginAs(env.core, 'supervisor')
    expect(await sup2.invoke('qa.annotate', { recordingId, startMs: 0, endMs: 1, comment: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    await ok(qa.invoke('qa.deleteAnnotation', { id: note.id }))
    expect((await ok<{ annotations: unknown[] }>(qa.invoke('qa.context', { recordingId }))).annotations).toEqual([])
  })
})

describe('录音拷贝: export', () => {
  it('a ZIP of exactly the selected recordings with matching SHA-256 and a correct sheet, as stored or as WAV; audited', async () => {
    const webm = join(env.dir, 'tone.webm')
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=f=440:d=3',
      '-f',
      'lavfi',
      '-i',
      'anoisesrc=d=3:a=0.1',
      '-filter_complex',
      '[0][1]amerge=inputs=2',
      '-c:a',
      'libopus',
      '-b:a',
      '32k',
      '-f',
      'webm',
      webm
    ])
    const audio = readFileSync(webm)
    const leads = insertLeads(env.core.db, 3)
    const a = await workedCall(op1, leads[0], 'refused', peaksOf(3, [[0, 3]], [[0, 3]]), audio)
    const b = await workedCall(op2, leads[1], 'accepted', peaksOf(3, [[0, 3]], [[0, 3]]), audio)
    await workedCall(op1, leads[2], 'refused', peaksOf(3, [[0, 3]], [[0, 3]]), audio)
    const stored = (id: number) =>
      env.core.db.prepare('SELECT sha256 FROM recordings WHERE id = ?').pluck().get(id) as string

    // the leads were written straight into the table: their 归属地 is looked up as for an older pool
    while (env.core.leads.fillPhoneRegions() > 0);
    const x = await ok<{ token: string; fileName: string; files: number }>(
      qa.invoke('recordings.export', { ids: [a.recordingId, b.recordingId], format: 'original', exportId: 'exp-1' })
    )
    expect(x.files).toBe(2)
    expect(x.fileName).toMatch(/^录音拷贝-.*\.zip$/)
    const zipOf = async (token: string) =>
      JSZip.loadAsync(Buffer.from((await ok<{ data: string }>(qa.invoke('downloads.read', { token }))).data, 'base64'))
    const zip = await zipOf(x.token)
    const names = Object.keys(zip.files).sort()
    expect(names).toHaveLength(3)
    const audioNames = names.filter((f) => f.endsWith('.webm'))
    expect(audioNames).toHaveLength(2)
    expect(audioNames.some((f) => f.includes('王芳') && f.endsWith(`_${a.recordingId}.webm`))).toBe(true)
    const sha = async (name: string) =>
      createHash('sha256')
        .update(await zip.file(name)!.async('nodebuffer'))
        .digest('hex')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await zip.file('录音清单.xlsx')!.async('nodebuffer')) as never)
    const ws = wb.getWorksheet('录音清单')!
    expect(ws.getRow(1).values).toContain('SHA-256（本文件）')
    const sheet = new Map<string, unknown[]>()
    ws.eachRow((row, i) => i > 1 && sheet.set(String(row.getCell(1).value), row.values as unknown[]))
    expect([...sheet.keys()].sort()).toEqual(audioNames)
    for (const name of audioNames) {
      const row = sheet.get(name)!
      expect(row[13]).toBe(await sha(name))
      // as stored: the copy is the original byte for byte
      expect(row[14]).toBe(await sha(name))
    }
    expect([a.recordingId, b.recordingId].map(stored).sort()).toEqual(audioNames.map((nm) => sheet.get(nm)![13]).sort())
    const rowB = sheet.get(audioNames.find((f) => f.endsWith(`_${b.recordingId}.webm`))!)!
    // 139 0000: an Urumqi range in Google's data
    expect(rowB.slice(3, 12)).toEqual([
      '陈强',
      '客户1',
      '139****0001',
      '新疆乌鲁木齐市',
      // 外显: no caller-ID pool in this test, the PBX's own number
      '',
      '默认活动',
      '同意约访',
      '青秀区',
      '待质检'
    ])

    // as WAV: decoded from Opus, stereo 48 kHz, the length of the call
    const w = await ok<{ token: string }>(
      qa.invoke('recordings.export', { ids: [a.recordingId], format: 'wav', exportId: 'exp-2' })
    )
    const wz = await zipOf(w.token)
    const wavName = Object.keys(wz.files).find((f) => f.endsWith('.wav'))!
    const wavFile = join(env.dir, 'out.wav')
    writeFileSync(wavFile, await wz.file(wavName)!.async('nodebuffer'))
    const probe = execFileSync('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,channels,sample_rate,duration',
      '-of',
      'csv=p=0',
      wavFile
    ])
      .toString()
      .trim()
    const [codec, rate, channels, duration] = probe.split(',')
    expect([codec, rate, channels]).toEqual(['pcm_s16le', '48000', '2'])
    expect(Math.abs(Number(duration) - 3)).toBeLessThan(0.1)

    // into a folder the desktop user picked: a subfolder with the files and the sheet; the token works once
    const picked = join(env.dir, 'picked')
    mkdirSync(picked)
    const folderToken = env.core.folders.grant(picked)
    const f = await ok<{ token: string | null; folder: string; files: number }>(
      qa.invoke('recordings.export', { ids: [b.recordingId], format: 'original', exportId: 'exp-3', folderToken })
    )
    expect(f).toMatchObject({ token: null, files: 1 })
    expect(f.folder.startsWith(join(picked, '录音拷贝-'))).toBe(true)
    const inFolder = readdirSync(f.folder).sort()
    expect(inFolder).toHaveLength(2)
    expect(inFolder).toContain('录音清单.xlsx')
    expect(
      createHash('sha256')
        .update(
          readFileSync(
            join(
              f.folder,
              inFolder.find((x) => x.endsWith('.webm'))!
            )
          )
        )
        .digest('hex')
    ).toBe(stored(b.recordingId))
    expect(
      await qa.invoke('recordings.export', { ids: [b.recordingId], format: 'original', exportId: 'exp-4', folderToken })
    ).toMatchObject({ ok: false, error: { key: 'errors.exportFolderGone' } })

    const audits = env.core.db
      .prepare("SELECT details FROM audit_log WHERE action = 'recordings.export'")
      .pluck()
      .all() as string[]
    expect(audits.map((d) => JSON.parse(d))).toMatchObject([
      { ids: [a.recordingId, b.recordingId], format: 'original', files: 2, to: 'zip' },
      { ids: [a.recordingId], format: 'wav', to: 'zip' },
      { ids: [b.recordingId], to: 'folder' }
    ])
    expect(
      await op1.invoke('recordings.export', { ids: [a.recordingId], format: 'original', exportId: 'x' })
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('who may listen', () => {
  it('roles without listening rights get FORBIDDEN, and path tricks on the media address fail', async () => {
    const [lead] = insertLeads(env.core.db, 1)
    const { recordingId } = await workedCall(op1, lead, 'refused')
    for (const user of ['leader_qx', 'agent_qx1']) {
      const c = await loginAs(env.core, user)
      expect(await c.invoke('recordings.media', { id: recordingId })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' }
      })
      expect(await c.invoke('qa.context', { recordingId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(await op2.invoke('recordings.media', { id: recordingId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    const m = await ok<{ token: string }>(qa.invoke('recordings.media', { id: recordingId }))
    for (const trick of ['../../leadline.db', `${m.token}/../../leadline.db`, '%2e%2e%2fleadline.db', `${m.token}%00`])
      expect(env.core.media.get(trick)).toBeUndefined()
    expect(env.core.media.get(m.token)?.file).toMatch(/recordings/)
  })
})
