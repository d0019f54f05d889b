import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import JSZip from 'jszip'
import type { CoreConnection } from '../../electron/core'
import { SYSTEM_USER } from '../../electron/core/invoke'
import type { Complaint } from '../../shared/contract'
import { demoUserOf, loginAs, makeCore, ok, userIdOf } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { peaksOf, recordCall } from '../helpers/peaks'

let env: Awaited<ReturnType<typeof makeCore>>
let op1: CoreConnection
let qa: CoreConnection
let sup: CoreConnection
let admin: CoreConnection
let n = 0
const sh = (local: string) => new Date(`${local}+08:00`)
const DAY = 86_400_000

beforeEach(async () => {
  // Monday 2026-11-23, 10:00 in Nanning
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  await login()
})
afterEach(() => env.cleanup())

async function login() {
  op1 = await loginAs(env.core, 'op1')
  qa = await loginAs(env.core, demoUserOf('qa'))
  sup = await loginAs(env.core, 'supervisor')
  admin = await loginAs(env.core, 'admin')
}

/** A lead called by op1 on a recorded call, with this outcome. */
async function called(
  disposition = 'no_answer'
): Promise<{ leadId: number; callId: number; phone: string; file: string }> {
  const [leadId] = insertLeads(env.core.db, 1, { first: 8000 + ++n })
  await ok(op1.invoke('desk.next', {}))
  const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId, line: 'sip' }))
  await recordCall(op1, callId, peaksOf(4, [[0, 2]], [[2, 4]]))
  const sale =
    disposition === 'accepted'
      ? { consent: true, visitAt: sh('2026-11-25T10:00:00').toISOString(), districtCode: '450103' }
      : disposition === 'callback'
        ? { callbackAt: sh('2026-11-24T10:00:00').toISOString() }
        : {}
  await ok(
    op1.invoke('desk.outcome', { clientId: `compliance-${n}-${Date.now()}`, leadId, callId, disposition, ...sale })
  )
  env.clock.advance(6 * 60_000)
  const phone = env.core.db.prepare('SELECT phone FROM leads WHERE id = ?').pluck().get(leadId) as string
  const file = env.core.db.prepare('SELECT file FROM recordings WHERE call_id = ?').pluck().get(callId) as string
  return { leadId, callId, phone, file }
}

/** Every byte the data folder holds (database, its log, every file) that contains @needle, by path. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (name.includes(needle) || readFileSync(p).includes(Buffer.from(needle))) hits.push(p)
    }
  }
  walk(dir)
  return hits
}

describe('complaint cases (投诉)', () => {
  it('a 骚扰 complaint from the operator’s own call puts the number on the do-not-call list of every campaign', async () => {
    const a = await called()
    const other = await ok<{ id: number }>(sup.invoke('campaigns.create', { name: '车险续保' }))
    // another operator's call is not theirs to complain about
    const op2 = await loginAs(env.core, 'op2')
    expect(
      await op2.invoke('complaints.open', {
        category: 'harassment',
        channel: 'call',
        summary: '一天打了三次',
        callId: a.callId
      })
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    // an operator types no numbers by hand
    expect(
      await op1.invoke('complaints.open', { category: 'other', channel: 'call', summary: '投诉', phone: '13900009999' })
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const c = await ok<Complaint>(
      op1.invoke('complaints.open', {
        category: 'harassment',
        channel: 'call',
        summary: '一天打了三次',
        callId: a.callId
      })
    )
    expect(c).toMatchObject({
      state: 'received',
      category: 'harassment',
      onDnc: true,
      operator: expect.any(String),
      supplier: 'test',
      calls: [{ callId: a.callId, recordingId: expect.any(Number) }],
      dueAt: new Date(sh('2026-11-23T10:00:00').getTime() + 6 * 60_000 + 15 * DAY).toISOString()
    })
    for (const campaignId of [1, other.id])
      expect(await ok(sup.invoke('dnc.check', { phone: a.phone, campaignId }))).toMatchObject({
        blocked: true,
        entry: { source: 'complaint', scope: 'all', complaintId: c.id, expiresAt: null }
      })
    // operators do not see the cases
    expect(await op1.invoke('complaints.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('a case moves received → handling → decided → closed, may be reopened, is extended once; overdue first', async () => {
    const a = await called()
    const b = await called()
    const first = await ok<Complaint>(
      qa.invoke('complaints.open', { category: 'misSold', channel: 'hotline', summary: '说保本', phone: a.phone })
    )
    expect(first).toMatchObject({ leadId: a.leadId, operator: expect.any(String) })
    env.clock.advance(DAY)
    await login()
    const second = await ok<Complaint>(
      sup.invoke('complaints.open', {
        category: 'attitude',
        channel: 'letter',
        summary: '态度差',
        leadId: b.leadId,
        receivedOn: '2026-11-20'
      })
    )
    // received three days earlier: due 15 days after that
    expect(second.dueAt).toBe(new Date(sh('2026-11-20T00:00:00').getTime() + 15 * DAY).toISOString())
    // a decision needs words; closed only once decided
    expect(await qa.invoke('complaints.move', { id: first.id, to: 'decided' })).toMatchObject({
      ok: false,
      error: { key: 'errors.complaintDecisionRequired' }
    })
    expect(await qa.invoke('complaints.move', { id: first.id, to: 'closed' })).toMatchObject({
      ok: false,
      error: { key: 'errors.complaintStep' }
    })
    await ok(qa.invoke('complaints.move', { id: first.id, to: 'handling' }))
    // extended once, with a reason, to 30 days after receipt
    const ext = await ok<Complaint>(qa.invoke('complaints.extend', { id: first.id, reason: '需调取录音核实' }))
    expect(ext.dueAt).toBe(new Date(new Date(first.receivedAt).getTime() + 30 * DAY).toISOString())
    expect(await qa.invoke('complaints.extend', { id: first.id, reason: '再次延期' })).toMatchObject({
      ok: false,
      error: { key: 'errors.complaintExtendedOnce' }
    })
    // 16 days on: the second is overdue and comes first, the extended one is not
    env.clock.advance(13 * DAY)
    await login()
    const open = await ok<Complaint[]>(qa.invoke('complaints.list', {}))
    expect(open.map((c) => [c.id, c.overdue])).toEqual([
      [second.id, true],
      [first.id, false]
    ])
    await ok(qa.invoke('complaints.move', { id: first.id, to: 'decided', decision: '退保并致歉' }))
    await ok(qa.invoke('complaints.move', { id: first.id, to: 'closed', answerContact: '客户手机' }))
    expect(await qa.invoke('complaints.move', { id: first.id, to: 'reopened' })).toMatchObject({
      ok: false,
      error: { key: 'errors.complaintReopenReason' }
    })
    const reopened = await ok<Complaint>(
      qa.invoke('complaints.move', { id: first.id, to: 'reopened', note: '客户不认可' })
    )
    expect(reopened).toMatchObject({ state: 'handling', closedAt: null, answerContact: '客户手机' })
    const { events } = await ok<{ events: { action: string; note: string | null }[] }>(
      qa.invoke('complaints.get', { id: first.id })
    )
    expect(events.map((e) => e.action)).toEqual(['received', 'handling', 'extended', 'decided', 'closed', 'reopened'])
    // every step audited
    const audited = env.core.db
      .prepare("SELECT action FROM audit_log WHERE entity = 'complaint' AND entity_id = ? ORDER BY id")
      .pluck()
      .all(String(first.id))
    expect(audited).toEqual([
      'complaints.open',
      'complaints.handle',
      'complaints.extend',
      'complaints.decide',
      'complaints.close',
      'complaints.reopen'
    ])
    await ok(qa.invoke('complaints.move', { id: second.id, to: 'decided', decision: '已批评教育' }))
    const report = await ok<Record<string, unknown>>(
      sup.invoke('complaints.report', {
        from: sh('2026-11-01T00:00:00').toISOString(),
        to: sh('2026-12-31T00:00:00').toISOString()
      })
    )
    expect(report).toMatchObject({
      total: 2,
      byCategory: { misSold: 1, attitude: 1 },
      bySupplier: [{ supplier: 'test', n: 2 }],
      decided: 1,
      decidedLate: 1,
      openOverdue: 0
    })
    expect((report.byOperator as { n: number }[])[0].n).toBe(2)
    expect(report.meanDaysToDecision).toBeGreaterThan(15)
  })
})

describe('the customer’s rights over their data', () => {
  it('an erasure leaves no trace of the number in the database or the files, only the proof; the number stays stopped', async () => {
    const a = await called()
    const keep = await called()
    const abs = join(env.dir, a.file)
    expect(existsSync(abs)).toBe(true)
    await ok(sup.invoke('dnc.add', { phone: a.phone, source: 'refusal', reason: '拒绝', scope: 'all' }))
    // an operator or a supervisor may not erase
    expect(await sup.invoke('privacy.erase', { phone: a.phone, reason: '客户要求' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    const r = await ok<{ proofId: number; phoneHash: string; removed: Record<string, number>; kept: object }>(
      admin.invoke('privacy.erase', { phone: a.phone, reason: '客户来电要求删除' })
    )
    expect(r.removed).toMatchObject({ leads: 1, calls: 1, recordings: 1, outcomes: 1 })
    expect(r.kept).toEqual({ signedSales: 0, openCases: 0 })
    expect(r.phoneHash).toMatch(/^h:[0-9a-f]{64}$/)
    expect(existsSync(abs)).toBe(false)
    // a backup made now holds no trace either
    await env.core.backup(join(env.dir, 'after-erasure.db'), 'test')
    env.core.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(filesContaining(env.dir, a.phone)).toEqual([])
    expect(filesContaining(env.dir, r.phoneHash).length).toBeGreaterThan(0)
    // the other customer is untouched
    expect(filesContaining(env.dir, keep.phone).length).toBeGreaterThan(0)
    expect(existsSync(join(env.dir, keep.file))).toBe(true)
    // the proof: the keyed hash, never the number
    expect(env.core.db.prepare('SELECT phone_hash, reason, kind FROM erasures WHERE id = ?').get(r.proofId)).toEqual({
      phone_hash: r.phoneHash,
      reason: '客户来电要求删除',
      kind: 'request'
    })
    // a later list that brings the number again: it is still not called
    insertLeads(env.core.db, 1, { first: 8000 + 1 })
    expect(await ok(sup.invoke('dnc.check', { phone: a.phone }))).toMatchObject({
      blocked: true,
      entry: { source: 'customer_request', phone: expect.not.stringContaining(a.phone.slice(-4)) }
    })
  })

  it('a signed sale’s record is kept by law when its customer asks to be erased', async () => {
    const a = await called('accepted')
    // signed at the visit (a dispatch reported as signed)
    env.core.db
      .prepare(
        `INSERT INTO dispatches (lead_id, outcome_id, operator_id, district_code, unit, visit_at, state, package_day, receive_due, assign_due, created_at, reported_at, policy)
         VALUES (?, (SELECT id FROM outcomes WHERE lead_id = ?), ?, '450103', '450103', ?, 'signed', '2026-11-23', ?, ?, ?, ?, '{"termYears":20}')`
      )
      .run(a.leadId, a.leadId, userIdOf(env.core, 'op1'), ...Array(5).fill(new Date().toISOString()))
    const r = await ok<{ removed: { leads: number }; kept: { signedSales: number } }>(
      admin.invoke('privacy.erase', { phone: a.phone, reason: '客户要求' })
    )
    expect(r).toMatchObject({ removed: { leads: 0 }, kept: { signedSales: 1 } })
    expect(existsSync(join(env.dir, a.file))).toBe(true)
  })

  it('an export holds the card, every call and every recording; withdrawn consent stops the lead; a correction is audited without values', async () => {
    const a = await called('callback')
    const lookup = await ok<{ leads: { id: number }[]; calls: number; recordings: number }>(
      admin.invoke('privacy.lookup', { phone: a.phone })
    )
    expect(lookup).toMatchObject({ leads: [{ id: a.leadId }], calls: 1, recordings: 1 })
    const out = join(env.dir, 'out.zip')
    const r = await env.core.privacy.exportTo(a.phone, out, SYSTEM_USER, 'test')
    expect(r).toEqual({ leads: 1, calls: 1, recordings: 1 })
    const zip = await JSZip.loadAsync(readFileSync(out))
    const data = JSON.parse(await zip.file('customer.json')!.async('string'))
    expect(data.calls.map((c: { id: number }) => c.id)).toEqual([a.callId])
    expect(data.leads[0]).toMatchObject({ phone: a.phone })
    const rec = Object.keys(zip.files).filter((f) => f.startsWith('recordings/'))
    expect(rec).toHaveLength(1)
    expect(await zip.file(rec[0])!.async('nodebuffer')).toEqual(readFileSync(join(env.dir, a.file)))
    expect(zip.file('customer.xlsx')).not.toBeNull()

    await ok(admin.invoke('privacy.correct', { leadId: a.leadId, fields: { name: '王更正', address: '南宁市青秀区' } }))
    expect(env.core.db.prepare('SELECT name, address FROM leads WHERE id = ?').get(a.leadId)).toEqual({
      name: '王更正',
      address: '南宁市青秀区'
    })
    const audit = env.core.db
      .prepare("SELECT details FROM audit_log WHERE action = 'privacy.correct'")
      .pluck()
      .get() as string
    expect(JSON.parse(audit)).toEqual({ fields: ['name', 'address'] })

    expect(await ok(admin.invoke('privacy.withdrawConsent', { phone: a.phone, reason: '客户撤回同意' }))).toEqual({
      leadsStopped: 1
    })
    expect(env.core.db.prepare('SELECT status FROM leads WHERE id = ?').pluck().get(a.leadId)).toBe('dnc')
    expect(await ok(sup.invoke('dnc.check', { phone: a.phone, channel: 'sms' }))).toMatchObject({ blocked: true })
  })
})

describe('retention (保留期限)', () => {
  it('past its time an unsigned lead goes with its recording, a refusal keeps only the hash, a signed sale stays; a dry run changes nothing', async () => {
    const unreached = await called('no_answer')
    const refused = await called('refused')
    const signed = await called('accepted')
    env.core.db
      .prepare(
        `INSERT INTO dispatches (lead_id, outcome_id, operator_id, district_code, unit, visit_at, state, package_day, receive_due, assign_due, created_at, reported_at, policy)
         VALUES (?, (SELECT id FROM outcomes WHERE lead_id = ?), ?, '450103', '450103', ?, 'signed', '2026-11-23', ?, ?, ?, ?, '{"termYears":1}')`
      )
      .run(signed.leadId, signed.leadId, userIdOf(env.core, 'op1'), ...Array(5).fill(env.clock.now().toISOString()))
    expect(await ok(sup.invoke('dnc.check', { phone: refused.phone }))).toMatchObject({ blocked: true })
    // an export left behind, an upload never imported
    mkdirSync(join(env.dir, 'exports'), { recursive: true })
    writeFileSync(join(env.dir, 'exports', 'old.xlsx'), 'x')
    writeFileSync(join(env.dir, 'uploads', 'old'), 'x')
    const past = (Date.now() - 10 * DAY) / 1000
    utimesSync(join(env.dir, 'exports', 'old.xlsx'), past, past)
    utimesSync(join(env.dir, 'uploads', 'old'), past, past)

    // within the year: nothing of the leads goes
    env.clock.advance(300 * DAY)
    const early = env.core.retention.run(false, 'test')
    expect(early.removed).toMatchObject({ leadsUnsigned: 0, leadsRefused: 0, leadsSigned: 0, exports: 1, uploads: 1 })

    env.clock.advance(70 * DAY)
    const dry = env.core.retention.run(true, 'test')
    expect(dry.removed).toMatchObject({ leadsUnsigned: 1, leadsRefused: 1, leadsSigned: 0 })
    expect(existsSync(join(env.dir, unreached.file))).toBe(true)
    const real = env.core.retention.run(false, 'test')
    expect(real.removed).toMatchObject({
      leadsUnsigned: 1,
      leadsRefused: 1,
      leadsSigned: 0,
      calls: 2,
      recordingFiles: 2,
      numbersHashed: 1
    })
    expect(existsSync(join(env.dir, unreached.file))).toBe(false)
    expect(existsSync(join(env.dir, refused.file))).toBe(false)
    expect(existsSync(join(env.dir, signed.file))).toBe(true)
    env.core.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(filesContaining(env.dir, unreached.phone)).toEqual([])
    expect(filesContaining(env.dir, refused.phone)).toEqual([])
    // the refusal's entry keeps the number's keyed hash only (in force or not, the list still knows it)
    expect(env.core.db.prepare('SELECT hashed, source, substr(phone, 1, 2) AS p FROM dnc_entries').all()).toEqual([
      { hashed: 1, source: 'refusal', p: 'h:' }
    ])
    // a signed sale of a one-year term: five years after the sale
    env.clock.advance(5 * 365 * DAY)
    expect(env.core.retention.run(false, 'test').removed).toMatchObject({ leadsSigned: 1 })
    expect(existsSync(join(env.dir, signed.file))).toBe(false)
    await login()
    // the runs and the command line's actions are the system's in the audit log, which reads them
    const log = await ok<{ action: string; userId: number | null }[]>(admin.invoke('audit.list', { limit: 50 }))
    expect(log.filter((e) => e.action === 'retention.run').every((e) => e.userId === null)).toBe(true)
    expect(await ok(admin.invoke('retention.last', {}))).toMatchObject({ dryRun: false, removed: { leadsSigned: 1 } })
  })
})
