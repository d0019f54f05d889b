import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SYSTEM_USER } from '../../electron/core/invoke'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import type { CoreConnection } from '../../electron/core'
import { dispatchDeadlines, followUpWindow } from '../../electron/core/dispatch/deadlines'
import { DEFAULT_SETTINGS } from '../../electron/core/settings/service'
import { SEVEN_POINTS, type Complaint, type Dispatch, type FollowUp, type Visit } from '../../shared/contract'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { peaksOf, recordCall } from '../helpers/peaks'

let env: Awaited<ReturnType<typeof makeCore>>
let op1: CoreConnection
let sup: CoreConnection
let admin: CoreConnection
let n = 0
const sh = (local: string) => new Date(`${local}+08:00`)
const TZ = 'Asia/Shanghai'

beforeEach(async () => {
  // Monday 2026-11-23, 10:00 in Nanning
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  op1 = await loginAs(env.core, 'op1')
  sup = await loginAs(env.core, 'supervisor')
  admin = await loginAs(env.core, 'admin')
  // straight to dispatch (the QA gate has its own tests)
  const c = await ok<{ settings: { qa: object } }>(sup.invoke('campaigns.update', { id: 1 }))
  await ok(sup.invoke('campaigns.update', { id: 1, settings: { qa: { ...c.settings.qa, gate: false } } }))
})
afterEach(() => env.cleanup())

/** The clock jumps (over days): sessions expire as they would, so everyone logs in again. */
async function jump(to: Date) {
  env.clock.set(to)
  op1 = await loginAs(env.core, 'op1')
  sup = await loginAs(env.core, 'supervisor')
  admin = await loginAs(env.core, 'admin')
}

/** A success on a recorded call for a lead at an address. */
async function success(
  address: string,
  district: string | null = null,
  visitAt = sh('2026-11-25T10:00:00')
): Promise<{ leadId: number; callId: number }> {
  const [leadId] = insertLeads(env.core.db, 1, { first: 7000 + ++n, district })
  env.core.db.prepare('UPDATE leads SET address = ? WHERE id = ?').run(address, leadId)
  await ok(op1.invoke('desk.next', {}))
  const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId, line: 'sip' }))
  await recordCall(op1, callId, peaksOf(5, [[0, 2]], [[2, 4]]))
  await ok(
    op1.invoke('desk.outcome', {
      clientId: `d-${n}-${Date.now()}`,
      leadId,
      callId,
      disposition: 'accepted',
      consent: true,
      visitAt: visitAt.toISOString(),
      ...(district ? {} : { districtCode: detect(address) })
    })
  )
  env.clock.advance(6 * 60_000) // past the per-number 5-minute cap for the next test call
  return { leadId, callId }
}
const detect = (address: string) =>
  address.includes('横县') || address.includes('横州') ? '450181' : address.includes('江南') ? '450105' : '450103'

const dispatchOf = (leadId: number) =>
  env.core.db.prepare('SELECT id, unit, district_code FROM dispatches WHERE lead_id = ?').get(leadId) as {
    id: number
    unit: string
    district_code: string
  }

describe('routing by district', () => {
  it('a success lands with its district’s leader — old names too; a leader sees only their own', async () => {
    // 横州市 with a field team of its own (the demo gives it to 青秀区's team)
    await ok(admin.invoke('districts.setCover', { code: '450181', coveredBy: null }))
    const qx = await success('南宁市青秀区民族大道100号', '450103')
    const hx = await success('广西横县横州镇江南路8号', null)
    expect(dispatchOf(qx.leadId)).toMatchObject({ unit: '450103', district_code: '450103' })
    // 横县 is 横州市 since 2021: the lead's district was detected from the old name
    expect(env.core.db.prepare('SELECT district_code FROM leads WHERE id = ?').pluck().get(hx.leadId)).toBe('450181')
    expect(dispatchOf(hx.leadId)).toMatchObject({ unit: '450181' })
    const leaderQx = await loginAs(env.core, 'leader_qx')
    const leaderJn = await loginAs(env.core, 'leader_jn')
    expect((await ok<Dispatch[]>(leaderQx.invoke('dispatch.list', {}))).map((d) => d.leadId)).toEqual([qx.leadId])
    expect(await ok<Dispatch[]>(leaderJn.invoke('dispatch.list', {}))).toEqual([])
    expect((await ok<Dispatch[]>(sup.invoke('dispatch.list', {}))).length).toBe(2)
    expect(await leaderJn.invoke('dispatch.agents', { dispatchId: dispatchOf(qx.leadId).id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
  })

  it('cross-district assignment is refused for every role; reassignment inside the district is logged', async () => {
    const qx = await success('南宁市青秀区民族大道100号', '450103')
    const id = dispatchOf(qx.leadId).id
    const userId = (u: string) =>
      env.core.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(u) as number
    const leaderQx = await loginAs(env.core, 'leader_qx')
    const offered = await ok<{ name: string }[]>(leaderQx.invoke('dispatch.agents', { dispatchId: id }))
    expect(offered.map((a) => a.name).sort()).toEqual(['梁秀英', '蒙志刚'])
    for (const who of [leaderQx, sup, admin]) {
      expect(await who.invoke('dispatch.assign', { dispatchId: id, agentId: userId('agent_jn1') })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', key: 'errors.crossDistrict' }
      })
    }
    const r = await (
      await loginAs(env.core, 'leader_qx')
    ).invoke('dispatch.assign', { dispatchId: id, agentId: userId('agent_jn1') })
    expect(r.ok ? '' : r.error.message).toContain('不得跨区营销')
    const a = await ok<Dispatch>(leaderQx.invoke('dispatch.assign', { dispatchId: id, agentId: userId('agent_qx1') }))
    expect(a).toMatchObject({
      state: 'assigned',
      agentName: '蒙志刚',
      confirmDue: sh('2026-11-26T10:00:00').toISOString()
    })
    await ok(sup.invoke('dispatch.assign', { dispatchId: id, agentId: userId('agent_qx2'), note: '蒙志刚请假' }))
    const team = await ok<{ name: string; open: number }[]>(leaderQx.invoke('dispatch.team', {}))
    expect(team.map((a) => [a.name, a.open]).sort()).toEqual([
      ['梁秀英', 1],
      ['蒙志刚', 0]
    ])
    const events = env.core.db
      .prepare('SELECT action FROM dispatch_events WHERE dispatch_id = ? ORDER BY id')
      .pluck()
      .all(id)
    expect(events).toEqual(['created', 'assigned', 'reassigned'])
    // another leader cannot touch it at all
    expect(
      await (
        await loginAs(env.core, 'leader_jn')
      ).invoke('dispatch.assign', { dispatchId: id, agentId: userId('agent_jn1') })
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('a city organised by direction groups routes to the group', async () => {
    await ok(
      admin.invoke('settings.update', { dispatch: { ...DEFAULT_SETTINGS.dispatch, directionCities: ['南宁市'] } })
    )
    // 邕宁区 is in the east group with 青秀区: 青秀's agents take it
    const yn = await success('南宁市邕宁区蒲庙镇1号', '450109')
    expect(dispatchOf(yn.leadId).unit).toBe('南宁市:east')
    const leaderQx = await loginAs(env.core, 'leader_qx')
    expect(
      (await ok<{ name: string }[]>(leaderQx.invoke('dispatch.agents', { dispatchId: dispatchOf(yn.leadId).id })))
        .map((a) => a.name)
        .sort()
    ).toEqual(['梁秀英', '蒙志刚'])
  })
})

describe('deadlines', () => {
  const s = DEFAULT_SETTINGS.dispatch
  it('a success at 19:59 is in that day’s package and assigned by 09:30 the next day; at 20:01 it moves a day', () => {
    expect(dispatchDeadlines(sh('2026-11-24T19:59:00'), s, TZ)).toEqual({
      packageDay: '2026-11-24',
      receiveDue: sh('2026-11-24T20:00:00'),
      assignDue: sh('2026-11-25T09:30:00')
    })
    expect(dispatchDeadlines(sh('2026-11-24T20:01:00'), s, TZ)).toEqual({
      packageDay: '2026-11-25',
      receiveDue: sh('2026-11-25T20:00:00'),
      assignDue: sh('2026-11-26T09:30:00')
    })
  })
  it('over a weekend: Friday’s successes are assigned on Monday; Friday evening and Saturday go in Monday’s package', () => {
    expect(dispatchDeadlines(sh('2026-11-27T15:00:00'), s, TZ)).toMatchObject({
      packageDay: '2026-11-27',
      assignDue: sh('2026-11-30T09:30:00')
    })
    expect(dispatchDeadlines(sh('2026-11-27T20:30:00'), s, TZ)).toMatchObject({
      packageDay: '2026-11-30',
      assignDue: sh('2026-12-01T09:30:00')
    })
    expect(dispatchDeadlines(sh('2026-11-28T11:00:00'), s, TZ)).toMatchObject({
      packageDay: '2026-11-30',
      receiveDue: sh('2026-11-30T20:00:00')
    })
  })
  it('follow-ups: a visit in the Friday window with results by Saturday 18:00; a new life policy inside its cooling-off period', () => {
    const f = DEFAULT_SETTINGS.followUp
    // reported Tuesday → Friday 13:30, due Saturday 18:00
    expect(followUpWindow(sh('2026-11-24T16:00:00'), f, TZ, null)).toEqual({
      kind: 'visit',
      from: sh('2026-11-27T13:30:00'),
      due: sh('2026-11-28T18:00:00')
    })
    // reported Friday after 18:00 → next Friday
    expect(followUpWindow(sh('2026-11-27T18:30:00'), f, TZ, null)).toMatchObject({
      from: sh('2026-12-04T13:30:00'),
      due: sh('2026-12-05T18:00:00')
    })
    // received on 11-24: 15 days → due 12-09 18:00, workable at once
    expect(followUpWindow(sh('2026-11-25T10:00:00'), f, TZ, { receivedOn: '2026-11-24' })).toEqual({
      kind: 'cooling_off',
      from: sh('2026-11-25T10:00:00'),
      due: sh('2026-12-09T18:00:00')
    })
  })
  it('a visit agreed for the same afternoon is to be assigned two hours before it, not the next morning', async () => {
    const soon = await success('南宁市青秀区民族大道300号', '450103', sh('2026-11-23T15:00:00'))
    const due = () =>
      env.core.db.prepare('SELECT assign_due FROM dispatches WHERE lead_id = ?').pluck().get(soon.leadId) as string
    expect(due()).toBe(sh('2026-11-23T13:00:00').toISOString())
    env.clock.set(sh('2026-11-23T13:01:00'))
    sup = await loginAs(env.core, 'supervisor')
    expect((await ok<Dispatch[]>(sup.invoke('dispatch.list', {}))).find((d) => d.leadId === soon.leadId)!.late).toBe(
      'assign'
    )
  })
  it('a dispatch past its assignment deadline is flagged late', async () => {
    const qx = await success('南宁市青秀区民族大道100号', '450103')
    const late = async () =>
      (await ok<Dispatch[]>(sup.invoke('dispatch.list', {}))).find((d) => d.leadId === qx.leadId)!.late
    expect(await late()).toBeNull()
    await jump(sh('2026-11-24T09:31:00'))
    expect(await late()).toBe('assign')
    const board = await ok<{ late: { assign: number } }>(
      sup.invoke('dispatch.board', {
        from: sh('2026-11-23T00:00:00').toISOString(),
        to: sh('2026-11-25T00:00:00').toISOString()
      })
    )
    expect(board.late.assign).toBe(1)
  })
})

describe('the field agent and the follow-up', () => {
  it('sees only the consented details and the call, reports a signed policy; a cooling-off follow-up is created and completed with the seven points', async () => {
    const qx = await success('南宁市青秀区民族大道100号', '450103')
    env.core.db.prepare("UPDATE leads SET id_no = '450103199001011234' WHERE id = ?").run(qx.leadId)
    const id = dispatchOf(qx.leadId).id
    const leaderQx = await loginAs(env.core, 'leader_qx')
    const agentId = env.core.db.prepare("SELECT id FROM users WHERE username = 'agent_qx1'").pluck().get() as number
    await ok(leaderQx.invoke('dispatch.assign', { dispatchId: id, agentId }))
    const agent = await loginAs(env.core, 'agent_qx1')
    const visits = await ok<Visit[]>(agent.invoke('dispatch.myVisits', {}))
    expect(visits).toHaveLength(1)
    expect(Object.keys(visits[0]).sort()).toEqual([
      'address',
      'callId',
      'confirmDue',
      'customerName',
      'district',
      'id',
      'phone',
      'productInterest',
      'recordingId',
      'state',
      'visitAt'
    ])
    expect(JSON.stringify(visits)).not.toContain('450103199001011234')
    // the call of this visit, and no other
    expect((await agent.invoke('recordings.media', { id: visits[0].recordingId! })).ok).toBe(true)
    const other = await success('南宁市青秀区民族大道200号', '450103')
    const otherRec = env.core.db
      .prepare('SELECT id FROM recordings WHERE call_id = ?')
      .pluck()
      .get(other.callId) as number
    expect(await agent.invoke('recordings.media', { id: otherRec })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    expect(
      await (await loginAs(env.core, 'agent_qx2')).invoke('dispatch.report', { dispatchId: id, result: 'visited' })
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    // the agent may flag the call of their visit for QA, and no other
    await ok(agent.invoke('qa.flag', { callId: qx.callId, reason: '客户说坐席承诺保本' }))
    expect(await agent.invoke('qa.flag', { callId: other.callId, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    expect(env.core.db.prepare('SELECT reasons FROM qa_queue WHERE call_id = ?').pluck().get(qx.callId)).toContain(
      'flag'
    )

    const policy = {
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
    // not before the agreed visit (11-25 10:00): nothing is reported, visited or signed
    expect(await agent.invoke('dispatch.report', { dispatchId: id, result: 'signed', policy })).toMatchObject({
      ok: false,
      error: { key: 'errors.reportBeforeVisit', message: expect.stringContaining('11-25 10:00') }
    })
    expect(await agent.invoke('dispatch.report', { dispatchId: id, result: 'visited' })).toMatchObject({
      ok: false,
      error: { key: 'errors.reportBeforeVisit' }
    })
    await jump(sh('2026-11-25T11:30:00'))
    const agentAgain = await loginAs(env.core, 'agent_qx1')
    expect(await agentAgain.invoke('dispatch.report', { dispatchId: id, result: 'signed' })).toMatchObject({
      ok: false,
      error: { key: 'errors.policyRequired' }
    })
    // the policy was received at the visit or after it, and not tomorrow
    for (const [receivedOn, key] of [
      ['2026-11-26', 'errors.receivedInFuture'],
      ['2026-11-24', 'errors.receivedBeforeVisit']
    ])
      expect(
        await agentAgain.invoke('dispatch.report', {
          dispatchId: id,
          result: 'signed',
          policy: { ...policy, receivedOn }
        })
      ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', key } })
    const r = await ok<{ followUpId: number }>(
      agentAgain.invoke('dispatch.report', { dispatchId: id, result: 'signed', policy })
    )
    expect(env.core.db.prepare('SELECT retention_class FROM recordings WHERE call_id = ?').pluck().get(qx.callId)).toBe(
      'sale_10y'
    )
    // the seller never does their own 回访: it is not on their list, and core refuses it
    expect(await ok<FollowUp[]>(op1.invoke('followUps.list', {}))).toEqual([])
    expect(await op1.invoke('followUps.dial', { followUpId: r.followUpId, line: 'sip' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', key: 'errors.followUpBySeller' }
    })
    const fu = await loginAs(env.core, 'op2')
    const fus = await ok<FollowUp[]>(fu.invoke('followUps.list', {}))
    expect(fus).toMatchObject([
      {
        id: r.followUpId,
        kind: 'cooling_off',
        dueAt: sh('2026-12-10T18:00:00').toISOString(),
        agentName: '蒙志刚',
        overdue: false
      }
    ])
    expect(fus[0].phone).toMatch(/\*{4}/)
    // the softphone gets a token the PBX resolves to the number, and the caller number to show (外显);
    // then the seven points, each answered
    writeFileSync(join(env.dir, 'pool.csv'), '号码,状态\n0771-5123456,启用\n')
    await env.core.callerIds.importFile(join(env.dir, 'pool.csv'), SYSTEM_USER, 'test', 'zh-CN')
    const dial = await ok<{ callId: number; dial: string; callerId: string | null }>(
      fu.invoke('followUps.dial', { followUpId: r.followUpId, line: 'sip' })
    )
    expect(dial.dial).toMatch(/^LL[0-9a-f]+$/)
    expect(dial.callerId).toBe('+867715123456')
    expect(env.core.db.prepare('SELECT shown_number FROM calls WHERE id = ?').pluck().get(dial.callId)).toBe(
      '07715123456'
    )
    // leased to the one who dialled: nobody else calls this customer for it meanwhile
    const op3 = await loginAs(env.core, 'op3')
    expect((await ok<FollowUp[]>(op3.invoke('followUps.list', {})))[0]).toMatchObject({ heldBy: '陈强', attempts: 1 })
    expect(await op3.invoke('followUps.dial', { followUpId: r.followUpId, line: 'sip' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', key: 'errors.followUpHeld', params: { name: '陈强' } }
    })
    // “reached” stands on a call that was answered and recorded, not on a click
    expect(
      await fu.invoke('followUps.complete', {
        followUpId: r.followUpId,
        result: 'satisfied',
        checks: Object.fromEntries(SEVEN_POINTS.map((p) => [p, 'yes']))
      })
    ).toMatchObject({ ok: false, error: { key: 'errors.followUpNeedsCall' } })
    // a 回访 call is not a sales call: the desk does not take it back for a sales outcome, and none lands on it
    await recordCall(fu, dial.callId, peaksOf(5, [[0, 2]], [[2, 4]]))
    expect(await ok(fu.invoke('desk.unfinished', {}))).toBeNull()
    const nextAtDesk = await ok<{ lead: { id: number } | null; unfinishedCallId?: number }>(fu.invoke('desk.next', {}))
    expect(nextAtDesk.unfinishedCallId).toBeUndefined()
    expect(nextAtDesk.lead?.id).not.toBe(qx.leadId)
    expect(
      await fu.invoke('desk.outcome', {
        clientId: 'fu-as-sale',
        leadId: qx.leadId,
        callId: dial.callId,
        disposition: 'refused'
      })
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.followUpCallNoOutcome' } })
    const leadState = () =>
      env.core.db.prepare('SELECT status, last_outcome FROM leads WHERE id = ?').get(qx.leadId) as object
    expect(leadState()).toEqual({ status: 'accepted', last_outcome: 'accepted' })
    expect(env.core.db.prepare('SELECT count(*) FROM dnc_entries').pluck().get()).toBe(0)
    expect(
      await fu.invoke('followUps.complete', {
        followUpId: r.followUpId,
        callId: dial.callId,
        result: 'satisfied',
        checks: { identity: 'yes', bought: 'yes' }
      })
    ).toMatchObject({
      ok: false,
      error: { key: 'errors.sevenPointsIncomplete', params: { count: 5 } }
    })
    const checks = {
      identity: 'yes',
      bought: 'yes',
      readDocuments: 'yes',
      coverage: 'yes',
      surrender: 'yes',
      coolingOff: 'yes',
      payment: 'yes'
    }
    // a 回访 practised on the simulated line outside a demo is training: it does not close the customer's
    await ok(admin.invoke('settings.update', { demoMode: false }))
    const practice = await ok<{ callId: number }>(
      fu.invoke('followUps.dial', { followUpId: r.followUpId, line: 'simulated' })
    )
    expect(
      await fu.invoke('followUps.complete', {
        followUpId: r.followUpId,
        callId: practice.callId,
        result: 'satisfied',
        checks
      })
    ).toMatchObject({ ok: false, error: { key: 'errors.trainingFollowUp' } })
    await ok(admin.invoke('settings.update', { demoMode: true }))
    const done = await ok<FollowUp>(
      fu.invoke('followUps.complete', {
        followUpId: r.followUpId,
        callId: dial.callId,
        result: 'satisfied',
        checks,
        cancellation: true
      })
    )
    expect(done).toMatchObject({ state: 'done', result: 'satisfied', doneBy: '陈强', heldBy: null, cancellation: true })
    // 犹豫期退保 on the lead's history with the recorded call, and in the 回访's own figures
    expect(
      env.core.db
        .prepare("SELECT details FROM lead_events WHERE lead_id = ? AND kind = 'cancellation'")
        .pluck()
        .get(qx.leadId)
    ).toBe(JSON.stringify({ followUpId: r.followUpId, callId: dial.callId }))
    expect(
      await ok(
        sup.invoke('followUps.report', {
          from: sh('2026-11-23T00:00:00').toISOString(),
          to: sh('2026-12-31T00:00:00').toISOString()
        })
      )
    ).toMatchObject([{ done: 1, inTime: 1, reached: 1, satisfied: 1, problems: 0, unreachable: 0, cancellations: 1 }])
    const board = await ok<{
      chain: Record<string, number>
      districts: { district: string; hoursToVisit: number | null }[]
    }>(
      sup.invoke('dispatch.board', {
        from: sh('2026-11-23T00:00:00').toISOString(),
        to: sh('2026-11-26T00:00:00').toISOString()
      })
    )
    expect(board.chain).toMatchObject({
      successes: 2,
      dispatched: 2,
      assigned: 1,
      visited: 1,
      signed: 1,
      followedUp: 1
    })
    // released Monday ~10:00, reported Wednesday 11:30: about 49 hours to the visit
    expect(board.districts.find((d) => d.district === '青秀区')!.hoursToVisit).toBeGreaterThan(48)
    const x = await ok<{ token: string }>(
      sup.invoke('reports.export', {
        report: 'districts',
        from: sh('2026-11-23T00:00:00').toISOString(),
        to: sh('2026-11-26T00:00:00').toISOString()
      })
    )
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(
      Buffer.from(
        (await ok<{ data: string }>(sup.invoke('downloads.read', { token: x.token }))).data,
        'base64'
      ) as never
    )
    expect(wb.worksheets.map((w) => w.name)).toEqual(['区县与地面人员', '按地面人员'])
    expect(wb.worksheets[1].getRow(2).values).toContain('蒙志刚')
    const report = await ok<{ agent: string; satisfied: number }[]>(
      sup.invoke('followUps.report', {
        from: sh('2026-11-23T00:00:00').toISOString(),
        to: sh('2026-11-30T00:00:00').toISOString()
      })
    )
    expect(report).toMatchObject([{ agent: '蒙志刚', satisfied: 1 }])
  })

  it('a plain visit is called back in the Friday window; a complaint needs its category; a visit can be rescheduled', async () => {
    const qx = await success('南宁市青秀区民族大道100号', '450103')
    const id = dispatchOf(qx.leadId).id
    const agentId = env.core.db.prepare("SELECT id FROM users WHERE username = 'agent_qx2'").pluck().get() as number
    await ok(sup.invoke('dispatch.assign', { dispatchId: id, agentId }))
    const agent = await loginAs(env.core, 'agent_qx2')
    expect(await agent.invoke('dispatch.report', { dispatchId: id, result: 'rescheduled' })).toMatchObject({
      ok: false,
      error: { key: 'errors.newVisitTimeRequired' }
    })
    await ok(
      agent.invoke('dispatch.report', {
        dispatchId: id,
        result: 'rescheduled',
        newVisitAt: sh('2026-11-26T15:00:00').toISOString()
      })
    )
    expect((await ok<Visit[]>(agent.invoke('dispatch.myVisits', {})))[0]).toMatchObject({
      visitAt: sh('2026-11-26T15:00:00').toISOString(),
      state: 'assigned'
    })
    await jump(sh('2026-11-26T16:00:00'))
    const r = await ok<{ followUpId: number }>(
      (await loginAs(env.core, 'agent_qx2')).invoke('dispatch.report', {
        dispatchId: id,
        result: 'visited',
        notes: '客户考虑中'
      })
    )
    const [f] = await ok<FollowUp[]>((await loginAs(env.core, 'op2')).invoke('followUps.list', {}))
    expect(f).toMatchObject({
      id: r.followUpId,
      kind: 'visit',
      from: sh('2026-11-27T13:30:00').toISOString(),
      dueAt: sh('2026-11-28T18:00:00').toISOString()
    })
    const fu = await loginAs(env.core, 'op2')
    expect(await fu.invoke('followUps.complete', { followUpId: f.id, result: 'complaint' })).toMatchObject({
      ok: false,
      error: { key: 'errors.complaintCategoryRequired' }
    })
    const { callId } = await ok<{ callId: number }>(fu.invoke('followUps.dial', { followUpId: f.id, line: 'sip' }))
    await recordCall(fu, callId, peaksOf(5, [[0, 2]], [[2, 4]]))
    await ok(
      fu.invoke('followUps.complete', {
        followUpId: f.id,
        callId,
        result: 'complaint',
        complaint: 'late',
        notes: '迟到半小时'
      })
    )
    // the problem opens a complaint case with the 回访's recorded call linked
    expect(await ok<Complaint[]>(sup.invoke('complaints.list', {}))).toMatchObject([
      {
        channel: 'follow_up',
        category: 'other',
        summary: '迟到半小时',
        followUpId: f.id,
        calls: [{ callId, recordingId: expect.any(Number) }]
      }
    ])
    await jump(sh('2026-11-29T10:00:00'))
    const report = await ok<{ agent: string; complaints: Record<string, number> }[]>(
      sup.invoke('followUps.report', {
        from: sh('2026-11-23T00:00:00').toISOString(),
        to: sh('2026-11-30T00:00:00').toISOString()
      })
    )
    expect(report).toMatchObject([
      { agent: '梁秀英', complaints: { late: 1 }, done: 1, inTime: 1, reached: 1, problems: 1, cancellations: 0 }
    ])
  })

  /** A success of 青秀区 visited by 梁秀英 after the agreed time: its 回访 is open. */
  async function visited(): Promise<{ followUpId: number }> {
    const qx = await success('南宁市青秀区民族大道100号', '450103')
    const id = dispatchOf(qx.leadId).id
    await ok(
      sup.invoke('dispatch.assign', {
        dispatchId: id,
        agentId: env.core.db.prepare("SELECT id FROM users WHERE username = 'agent_qx2'").pluck().get() as number
      })
    )
    await jump(sh('2026-11-25T11:00:00')) // after the agreed visit
    return ok((await loginAs(env.core, 'agent_qx2')).invoke('dispatch.report', { dispatchId: id, result: 'visited' }))
  }

  it('unreachable only after the attempts on different days, with a second channel; a lease runs out', async () => {
    const r = await visited()
    // the visit's 回访 runs Friday 13:30 to Saturday 18:00
    const attempt = async (at: string, who = 'op2') => {
      await jump(sh(at))
      const fu = await loginAs(env.core, who)
      const { callId } = await ok<{ callId: number }>(
        fu.invoke('followUps.dial', { followUpId: r.followUpId, line: 'sip' })
      )
      await ok(fu.invoke('calls.end', { callId, cause: 'no_answer', answered: false }))
      return fu
    }
    const unreachable = { followUpId: r.followUpId, result: 'unreachable' as const, secondChannel: 'sms' as const }
    let fu = await attempt('2026-11-27T14:00:00')
    expect(await fu.invoke('followUps.complete', unreachable)).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        key: 'errors.unreachableTooSoon',
        params: { attempts: 1, days: 1, needAttempts: 3, needDays: 2 }
      }
    })
    // the lease is the dialler's until it runs out (20 minutes by default); then another may take it
    await jump(sh('2026-11-27T14:10:00'))
    expect(
      await (await loginAs(env.core, 'op3')).invoke('followUps.dial', { followUpId: r.followUpId, line: 'sip' })
    ).toMatchObject({ ok: false, error: { key: 'errors.followUpHeld' } })
    await attempt('2026-11-27T14:30:00', 'op3')
    fu = await attempt('2026-11-27T16:00:00')
    // three calls, but all on one day
    expect(await fu.invoke('followUps.complete', unreachable)).toMatchObject({
      ok: false,
      error: { key: 'errors.unreachableTooSoon', params: { attempts: 3, days: 1 } }
    })
    fu = await attempt('2026-11-28T10:00:00')
    const { secondChannel: _s, ...withoutChannel } = unreachable
    expect(await fu.invoke('followUps.complete', withoutChannel)).toMatchObject({
      ok: false,
      error: { key: 'errors.secondChannelRequired' }
    })
    expect(
      await ok<FollowUp>(fu.invoke('followUps.complete', { ...unreachable, secondChannelNote: '短信 10690001' }))
    ).toMatchObject({ state: 'done', result: 'unreachable', secondChannel: 'sms', attempts: 4 })
  })

  it('a field agent registers a complaint the customer makes at the visit, on the call of their visit only', async () => {
    const qx = await success('南宁市青秀区民族大道100号', '450103')
    const jn = await success('南宁市江南区星光大道1号', '450105')
    await ok(
      sup.invoke('dispatch.assign', {
        dispatchId: dispatchOf(qx.leadId).id,
        agentId: env.core.db.prepare("SELECT id FROM users WHERE username = 'agent_qx2'").pluck().get() as number
      })
    )
    const agent = await loginAs(env.core, 'agent_qx2')
    const says = { category: 'misSold', channel: 'field', summary: '客户说坐席承诺保本' } as const
    expect(await ok<Complaint>(agent.invoke('complaints.open', { ...says, callId: qx.callId }))).toMatchObject({
      channel: 'field',
      leadId: qx.leadId,
      calls: [{ callId: qx.callId, recordingId: expect.any(Number) }]
    })
    expect(await agent.invoke('complaints.open', { ...says, callId: jn.callId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
  })

  it('an overdue follow-up is flagged, on the board and in the day’s report', async () => {
    await visited()
    await jump(sh('2026-11-28T18:01:00'))
    expect((await ok<FollowUp[]>(sup.invoke('followUps.list', {})))[0].overdue).toBe(true)
    const r = await ok<{ token: string }>(sup.invoke('reports.daily', { day: '2026-11-28', fresh: true }))
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(
      Buffer.from(
        (await ok<{ data: string }>(sup.invoke('downloads.read', { token: r.token }))).data,
        'base64'
      ) as never
    )
    const late = wb.getWorksheet('逾期回访')!
    expect(late.rowCount).toBe(2)
    expect(late.getRow(2).getCell(2).value).toBe('拜访回访')
    expect(late.getRow(2).getCell(5).value).toBe('梁秀英')
  })
})

describe('the success package', () => {
  it('builds the day’s XLSX with the recordings, and e-mails it at 20:00 on a working day, once', async () => {
    const mails: { to: string; attachments: { filename?: string; content: Buffer }[]; subject?: string }[] = []
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, cb) {
        simpleParser(stream).then((m) => {
          mails.push({
            to: (Array.isArray(m.to) ? m.to[0] : m.to)?.text ?? '',
            subject: m.subject,
            attachments: m.attachments
          })
          cb()
        }, cb)
      }
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.server.address() as { port: number }).port
    try {
      const qx = await success('南宁市青秀区民族大道100号', '450103')
      await success('南宁市江南区星光大道9号', '450105')
      expect(await sup.invoke('dispatch.sendPackage', { day: '2026-11-23' })).toMatchObject({
        ok: false,
        error: { key: 'errors.smtpNotConfigured' }
      })
      const settings = {
        host: '127.0.0.1',
        port,
        secure: false,
        user: '',
        from: 'leadline@centre.test',
        to: ['receiver@insurer.test'],
        password: 'not-used'
      }
      await ok(admin.invoke('smtp.set', settings))
      expect(await ok(admin.invoke('smtp.get', {}))).toMatchObject({ plain: false })
      // TLS is required by default: this relay offers no STARTTLS, so nothing goes, and the reason is said
      expect(await sup.invoke('dispatch.sendPackage', { day: '2026-11-23' })).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE', key: 'errors.smtpTls' }
      })
      expect(mails).toHaveLength(0)
      // the administrator allows plain sending on purpose (a relay on this machine)
      await ok(admin.invoke('smtp.set', { ...settings, plain: true }))
      expect(await ok(admin.invoke('smtp.get', {}))).toMatchObject({ host: '127.0.0.1', hasPassword: true })
      expect(JSON.stringify(await ok(admin.invoke('smtp.get', {})))).not.toContain('not-used')
      await ok(admin.invoke('settings.update', { dispatch: { ...DEFAULT_SETTINGS.dispatch, packageEmail: true } }))
      // before 20:00 nothing goes; at 20:00 the day's package goes once
      expect(await env.core.packageMailer.tick()).toBeNull()
      await jump(sh('2026-11-23T20:00:30'))
      expect(await env.core.packageMailer.tick()).toBe('2026-11-23')
      expect(await env.core.packageMailer.tick()).toBeNull()
      expect(mails).toHaveLength(1)
      expect(mails[0].to).toBe('receiver@insurer.test')
      expect(mails[0].subject).toContain('2 条')
      const xlsx = mails[0].attachments.find((a) => a.filename?.endsWith('.xlsx'))!
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(xlsx.content as never)
      const ws = wb.worksheets[0]
      expect(ws.rowCount).toBe(3)
      const names = [ws.getRow(2).getCell(2).value, ws.getRow(3).getCell(2).value]
      expect(names).toContain(env.core.db.prepare('SELECT name FROM leads WHERE id = ?').pluck().get(qx.leadId))
      expect(String(ws.getRow(2).getCell(3).value)).toMatch(/^139\d{8}$/)
      expect(mails[0].attachments.some((a) => a.filename?.endsWith('.zip'))).toBe(true)
      // with the day's report
      expect(mails[0].attachments.some((a) => a.filename === '日报-2026-11-23.xlsx')).toBe(true)
      // a download for the supervisor
      expect(await ok(sup.invoke('dispatch.package', { day: '2026-11-23' }))).toMatchObject({ successes: 2 })
      // a centre where supervisors see numbers masked: their download is masked too (the e-mail is whole)
      await ok(admin.invoke('settings.update', { clearRoles: ['admin'] }))
      const pkg = await ok<{ token: string }>(sup.invoke('dispatch.package', { day: '2026-11-23' }))
      const zip = await JSZip.loadAsync(
        Buffer.from((await ok<{ data: string }>(sup.invoke('downloads.read', { token: pkg.token }))).data, 'base64')
      )
      const masked = new ExcelJS.Workbook()
      await masked.xlsx.load((await zip.file(/\.xlsx$/)[0].async('nodebuffer')) as never)
      const phones = [2, 3].map((r) => String(masked.worksheets[0].getRow(r).getCell(3).value))
      expect(phones.every((p) => /^139\*{4}\d{4}$/.test(p))).toBe(true)
      expect(await op1.invoke('dispatch.package', { day: '2026-11-23' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' }
      })
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  })
})
