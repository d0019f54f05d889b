import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { startHub, type Hub } from '../../electron/server/hub'
import { HUB_WS_PATH, type Live, type Team, type User } from '../../shared/contract'
import { loginAs, makeCore, ok, userIdOf } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { peaksOf, recordCall } from '../helpers/peaks'
import { HubClient } from '../helpers/ws-client'

let env: Awaited<ReturnType<typeof makeCore>>
let admin: CoreConnection
let li: CoreConnection // 李娜, supervisor of 一组 (王芳 op1, 陈强 op2); 赵磊 (supervisor2) has 二组 (黄丽 op3)
let n = 0
const sh = (local: string) => new Date(`${local}+08:00`)
const uid = (u: string) => userIdOf(env.core, u)

beforeEach(async () => {
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  admin = await loginAs(env.core, 'admin')
  li = await loginAs(env.core, 'supervisor')
})
afterEach(() => env.cleanup())

const teams = async (c = admin) => (await ok<{ teams: Team[]; seeAll: boolean }>(c.invoke('teams.list', {}))).teams
const teamId = async (name: string) => (await teams()).find((t) => t.name === name)!.id
const audit = (action: string) =>
  (
    env.core.db.prepare('SELECT details FROM audit_log WHERE action = ? ORDER BY id').pluck().all(action) as string[]
  ).map((d) => JSON.parse(d))

/** A success on the SIP line by this operator, failed by QA and appealed by the operator: returned and under appeal. */
async function failedSuccess(username: string) {
  const op = await loginAs(env.core, username)
  const [leadId] = insertLeads(env.core.db, 1, { first: 8000 + ++n, district: '450103' })
  env.core.db.prepare('UPDATE leads SET owner_id = ?, status = ? WHERE id = ?').run(uid(username), 'allocated', leadId)
  await ok(op.invoke('desk.next', {}))
  const { callId } = await ok<{ callId: number }>(op.invoke('desk.dial', { leadId, line: 'sip' }))
  await recordCall(op, callId, peaksOf(5, [[0, 2]], [[2, 4]]))
  await ok(
    op.invoke('desk.outcome', {
      clientId: `team-${n}-${username}`,
      leadId,
      callId,
      disposition: 'accepted',
      consent: true,
      visitAt: sh('2026-11-25T10:00:00').toISOString()
    })
  )
  const qa = await loginAs(env.core, 'qa')
  await ok(qa.invoke('qa.claim', { callId }))
  const card = await ok<{ body: { items: { id: string; points: number }[] } }>(
    qa.invoke('scorecards.current', { campaignId: 1 })
  )
  const review = await ok<{ id: number }>(
    qa.invoke('qa.submit', {
      callId,
      verdict: 'fail',
      comment: '未说明录音',
      scores: card.body.items.map((i) => ({ itemId: i.id, score: 0, failed: false }))
    })
  )
  await ok(op.invoke('qa.appeal', { reviewId: review.id, reason: '客户已同意' }))
  env.clock.advance(6 * 60_000)
  return leadId
}

describe('teams (班组)', () => {
  it('the demo has two teams with their supervisors; an administrator adds, changes and removes teams, audited', async () => {
    expect((await teams()).map((t) => [t.name, t.supervisorName, t.memberIds.length])).toEqual([
      ['一组', '李娜', 2],
      ['二组', '赵磊', 1]
    ])
    const created = await ok<Team>(
      admin.invoke('teams.create', { name: '三组', supervisorId: uid('supervisor2'), memberIds: [uid('op2')] })
    )
    // an operator is in one team at most: 陈强 moved from 一组
    expect((await teams()).find((t) => t.name === '一组')!.memberIds).toEqual([uid('op1')])
    expect(created.memberIds).toEqual([uid('op2')])
    // rules, checked in core
    expect(await admin.invoke('teams.create', { name: '三组' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', key: 'errors.teamNameTaken' }
    })
    expect(await admin.invoke('teams.update', { id: created.id, supervisorId: uid('qa') })).toMatchObject({
      ok: false,
      error: { key: 'errors.teamSupervisorRole' }
    })
    expect(await admin.invoke('teams.update', { id: created.id, memberIds: [uid('leader_qx')] })).toMatchObject({
      ok: false,
      error: { key: 'errors.teamMemberRole' }
    })
    expect(await li.invoke('teams.create', { name: '四组' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await ok(
      admin.invoke('teams.update', { id: created.id, name: '三组（夜班）', memberIds: [uid('op2'), uid('op3')] })
    )
    const [update] = audit('teams.update')
    expect(update).toMatchObject({
      before: { name: '三组', memberIds: [uid('op2')] },
      after: { name: '三组（夜班）', memberIds: [uid('op2'), uid('op3')] }
    })
    await ok(admin.invoke('teams.remove', { id: created.id }))
    const users = await ok<User[]>(admin.invoke('users.list', {}))
    expect(users.find((u) => u.username === 'op2')!.teamId).toBeNull()
    expect(audit('teams.remove')).toHaveLength(1)
  })

  it('users are edited with their rules checked in core, and every change has its before and after', async () => {
    const op1 = uid('op1')
    const two = await teamId('二组')
    await ok(admin.invoke('users.update', { id: op1, staffNo: '2001', displayName: '王芳芳', teamId: two }))
    expect(audit('users.update').at(-1)).toEqual({
      before: { staffNo: '1001', displayName: '王芳', teamId: await teamId('一组') },
      after: { staffNo: '2001', displayName: '王芳芳', teamId: two }
    })
    // a team that does not exist; a team for someone who is not an operator
    expect(await admin.invoke('users.update', { id: op1, teamId: 9999 })).toMatchObject({
      ok: false,
      error: { key: 'errors.unknownTeam' }
    })
    expect(await admin.invoke('users.update', { id: uid('qa'), teamId: two })).toMatchObject({
      ok: false,
      error: { key: 'errors.teamMemberRole' }
    })
    // a leader needs a district; the last active administrator stays one
    expect(await admin.invoke('users.update', { id: uid('op2'), role: 'leader' })).toMatchObject({
      ok: false,
      error: { key: 'errors.districtRequired' }
    })
    expect(await admin.invoke('users.update', { id: uid('admin'), role: 'supervisor' })).toMatchObject({
      ok: false,
      error: { key: 'errors.lastAdmin' }
    })
    // an operator who becomes QA leaves their team
    await ok(admin.invoke('users.update', { id: uid('op2'), role: 'qa' }))
    expect((await teams()).find((t) => t.name === '一组')!.memberIds).toEqual([])
  })

  it('QA gets the operators’ names for its filters, without the user list and without a refusal in the audit log', async () => {
    const qa = await loginAs(env.core, 'qa')
    const names = await ok<{ id: number; name: string; staffNo: string | null }[]>(qa.invoke('users.names', {}))
    expect(names.map((x) => x.name).sort()).toEqual(['王芳', '陈强', '黄丽'].sort())
    expect(names.find((x) => x.name === '王芳')).toMatchObject({ staffNo: '1001', teamId: await teamId('一组') })
    expect(env.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'access.denied'").pluck().get()).toBe(0)
    expect(await (await loginAs(env.core, 'op1')).invoke('users.names', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
  })
})

describe('views scoped by team', () => {
  let hub: Hub
  afterEach(async () => hub?.close())

  it('a supervisor sees their own team on the wallboard, the reports, returned successes, appeals and missed callbacks — through both transports', async () => {
    await failedSuccess('op1')
    await failedSuccess('op3')
    const due = sh('2026-11-23T08:00:00').toISOString()
    for (const [username, first] of [
      ['op1', 9001],
      ['op3', 9002]
    ] as const) {
      const [lead] = insertLeads(env.core.db, 1, { first })
      env.core.db
        .prepare(
          "INSERT INTO callbacks (lead_id, campaign_id, operator_id, due_at, state, created_by, created_at) VALUES (?, 1, ?, ?, 'pending', ?, ?)"
        )
        .run(lead, uid(username), due, uid(username), due)
    }
    hub = await startHub({ core: env.core, port: 0, staticDir: null })
    const zhaoWs = await HubClient.connect(hub.url.replace('http', 'ws') + HUB_WS_PATH)
    await zhaoWs.call('auth.login', { username: 'supervisor2', password: 'demo1234' })
    const viaHub = async <T>(method: string, input: unknown) => {
      const r = await zhaoWs.call(method, input)
      if (!r.ok) throw new Error(r.error.message)
      return r.value as T
    }
    const day = { from: sh('2026-11-23T00:00:00').toISOString(), to: sh('2026-11-24T00:00:00').toISOString() }
    const names = (rows: { name?: string; operator?: string; operatorName?: string }[]) =>
      rows.map((r) => r.name ?? r.operator ?? r.operatorName).sort()

    // 李娜 (一组) over IPC-style core calls; 赵磊 (二组) over the hub's WebSocket
    expect(names((await ok<Live>(li.invoke('reports.live', {}))).operators)).toEqual(['王芳', '陈强'].sort())
    expect(names((await viaHub<Live>('reports.live', {})).operators)).toEqual(['黄丽'])
    expect(names(await ok(li.invoke('qa.returned', {})))).toEqual(['王芳'])
    expect(names(await viaHub('qa.returned', {}))).toEqual(['黄丽'])
    expect(names(await ok(li.invoke('qa.appeals', {})))).toEqual(['王芳'])
    expect(names(await viaHub('qa.appeals', {}))).toEqual(['黄丽'])
    expect((await ok<{ operator: string }[]>(li.invoke('desk.missedCallbacks', {}))).map((c) => c.operator)).toEqual([
      '王芳'
    ])
    expect((await viaHub<{ operator: string }[]>('desk.missedCallbacks', {})).map((c) => c.operator)).toEqual(['黄丽'])
    // (the operator report lists those who worked in the period: 陈强 made no call)
    const ops = await ok<{ operator: string; calls: number }[]>(li.invoke('reports.operators', day))
    expect(names(ops)).toEqual(['王芳'])
    expect(names(await viaHub('reports.operators', day))).toEqual(['黄丽'])
    // the overdue callbacks on the wallboard are the team's too
    expect((await ok<Live>(li.invoke('reports.live', {}))).overdue.callbacks).toBe(1)

    // another team, or all, when the centre allows it (the default)…
    expect(names((await ok<Live>(li.invoke('reports.live', { teamId: 'all' }))).operators)).toHaveLength(3)
    expect(names(await ok(li.invoke('qa.returned', { teamId: await teamId('二组') })))).toEqual(['黄丽'])
    // …and not when it does not
    await ok(admin.invoke('settings.update', { teams: { supervisorsSeeAll: false } }))
    expect(await li.invoke('reports.live', { teamId: 'all' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', key: 'errors.teamsOwnOnly' }
    })
    expect(await zhaoWs.call('qa.appeals', { teamId: await teamId('一组') })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    // administrators see everything
    expect(names((await ok<Live>(admin.invoke('reports.live', {}))).operators)).toHaveLength(3)

    // the per-team report sums the same daily figures
    const perTeam = await ok<{ team: string | null; operators: number; calls: number }[]>(
      admin.invoke('reports.teams', day)
    )
    expect(perTeam.map((r) => [r.team, r.operators, r.calls])).toEqual([
      ['一组', 2, ops.reduce((a, r) => a + r.calls, 0)],
      ['二组', 1, 1]
    ])
    zhaoWs.close()
  })
})

describe('what a supervisor decides and sees stays in their teams', () => {
  it('appeals and returned successes of another team are refused when supervisors see their own only; the wallboard, QA’s figures and 录音库 are the team’s', async () => {
    const own = await failedSuccess('op1')
    const other = await failedSuccess('op3')
    const reviewOf = (leadId: number) =>
      env.core.db
        .prepare('SELECT v.id FROM qa_reviews v JOIN calls c ON c.id = v.call_id WHERE c.lead_id = ?')
        .pluck()
        .get(leadId) as number
    await ok(admin.invoke('settings.update', { teams: { supervisorsSeeAll: false } }))
    // 李娜 (一组) cannot decide 黄丽's (二组) appeal, nor send her success back
    expect(await li.invoke('qa.decide', { reviewId: reviewOf(other), decision: 'uphold', note: '维持' })).toMatchObject(
      { ok: false, error: { code: 'FORBIDDEN', key: 'errors.teamsOwnOnly' } }
    )
    expect(await li.invoke('qa.settleReturned', { leadId: other, action: 'close' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    expect(env.core.db.prepare('SELECT qa_gate FROM leads WHERE id = ?').pluck().get(other)).toBe('failed')
    // her own team's, yes
    await ok(li.invoke('qa.decide', { reviewId: reviewOf(own), decision: 'uphold', note: '维持' }))
    await ok(li.invoke('qa.settleReturned', { leadId: own, action: 'close' }))

    // the wallboard, QA's per-operator figures and the recordings: her team's
    const board = await ok<{ name: string }[]>(li.invoke('desk.board', {}))
    expect(board.map((b) => b.name).sort()).toEqual(['王芳', '陈强'].sort())
    const day = { from: sh('2026-11-23T00:00:00').toISOString(), to: sh('2026-11-24T00:00:00').toISOString() }
    const stats = await ok<{ operatorName: string }[]>(li.invoke('qa.operatorStats', day))
    expect(stats.map((r) => r.operatorName)).toEqual(['王芳'])
    const lib = (c: CoreConnection, q?: string) =>
      ok<{ rows: { operatorName: string }[] }>(
        c.invoke('qa.library', { filter: q ? { q } : {}, sort: 'startedAt', dir: 'desc', offset: 0, limit: 50 })
      )
    expect((await lib(li)).rows.map((r) => r.operatorName)).toEqual(['王芳'])
    expect((await lib(admin)).rows.map((r) => r.operatorName).sort()).toEqual(['王芳', '黄丽'].sort())

    // QA sees numbers masked: a part of a number finds nothing (no guessing the digits behind the mask),
    // the whole number finds its call
    const qa = await loginAs(env.core, 'qa')
    const phone = env.core.db.prepare('SELECT phone FROM leads WHERE id = ?').pluck().get(own) as string
    expect((await lib(qa, phone.slice(3, 9))).rows).toEqual([])
    expect((await lib(qa, phone)).rows.map((r) => r.operatorName)).toEqual(['王芳'])
    // a supervisor, who sees numbers, finds it by part
    expect((await lib(li, phone.slice(3, 9))).rows.map((r) => r.operatorName)).toEqual(['王芳'])

    // the daily report: hers is made of her team's operators and successes; the centre's is everyone's
    const daily = async (c: CoreConnection) => {
      const r = await ok<{ token: string }>(c.invoke('reports.daily', { day: '2026-11-23' }))
      const ExcelJS = (await import('exceljs')).default
      const wb = new ExcelJS.Workbook()
      const data = (await ok<{ data: string }>(c.invoke('downloads.read', { token: r.token }))).data
      await wb.xlsx.load(Buffer.from(data, 'base64') as never)
      const column = (sheet: string, col: number) => {
        const ws = wb.getWorksheet(sheet)!
        return ws
          .getSheetValues()
          .slice(2)
          .map((row) => (row as unknown[])[col])
      }
      return {
        sheets: wb.worksheets.map((w) => w.name),
        operators: column('坐席报表', 1),
        successes: column('当日成功单', 5)
      }
    }
    expect(await daily(li)).toEqual({ sheets: ['坐席报表', '当日成功单'], operators: ['王芳'], successes: ['王芳'] })
    const centre = await daily(admin)
    expect(centre.sheets).toHaveLength(5)
    expect(centre.successes.sort()).toEqual(['王芳', '黄丽'].sort())
    expect(await li.invoke('reports.daily', { day: '2026-11-23', teamId: 'all' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', key: 'errors.teamsOwnOnly' }
    })
  })
})

describe('every district covered', () => {
  it('a covering team’s leader assigns a 兴宁区 success to their own agent; another leader is still refused; the warning comes and goes', async () => {
    const qx = await loginAs(env.core, 'leader_qx')
    const jn = await loginAs(env.core, 'leader_jn')
    const coverage = async () =>
      ok<{ code: string; coveredBy: string | null; problem: string | null }[]>(admin.invoke('districts.coverage', {}))
    // the demo gives every district a team
    expect((await coverage()).filter((d) => d.problem)).toEqual([])
    // 兴宁区 back on its own: no leader, no agents
    await ok(admin.invoke('districts.setCover', { code: '450102', coveredBy: null }))
    const sup = li
    const c = await ok<{ settings: { qa: object } }>(sup.invoke('campaigns.update', { id: 1 }))
    await ok(sup.invoke('campaigns.update', { id: 1, settings: { qa: { ...c.settings.qa, gate: false } } }))
    const op1 = await loginAs(env.core, 'op1')
    const [leadId] = insertLeads(env.core.db, 1, { first: 9100, district: '450102' })
    env.core.db.prepare("UPDATE leads SET owner_id = ?, status = 'allocated' WHERE id = ?").run(uid('op1'), leadId)
    await ok(op1.invoke('desk.next', {}))
    const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId, line: 'sip' }))
    await recordCall(op1, callId, peaksOf(5, [[0, 2]], [[2, 4]]))
    await ok(
      op1.invoke('desk.outcome', {
        clientId: 'cover-1-xingning',
        leadId,
        callId,
        disposition: 'accepted',
        consent: true,
        visitAt: sh('2026-11-25T10:00:00').toISOString(),
        districtCode: '450102'
      })
    )
    // at once: the wallboard and 派单跟踪 say 兴宁区 has a success and nobody to visit it
    const live = await ok<Live>(sup.invoke('reports.live', {}))
    expect(live.uncovered).toMatchObject([{ code: '450102', name: '兴宁区', problem: 'noLeader', openDispatches: 1 }])
    const board = await ok<{ uncovered: unknown[] }>(
      sup.invoke('dispatch.board', {
        from: sh('2026-11-23T00:00:00').toISOString(),
        to: sh('2026-11-24T00:00:00').toISOString()
      })
    )
    expect(board.uncovered).toHaveLength(1)
    expect(await ok(qx.invoke('dispatch.list', {}))).toEqual([])

    // the administrator gives 兴宁区 to 青秀区's team: its leader sees it and assigns one of their agents
    await ok(admin.invoke('districts.setCover', { code: '450102', coveredBy: '450103' }))
    expect((await ok<Live>(sup.invoke('reports.live', {}))).uncovered).toEqual([])
    const [d] = await ok<{ id: number; districtCode: string }[]>(qx.invoke('dispatch.list', {}))
    expect(d.districtCode).toBe('450102')
    const agents = await ok<{ id: number; name: string }[]>(qx.invoke('dispatch.agents', { dispatchId: d.id }))
    expect(agents.map((a) => a.name).sort()).toEqual(['梁秀英', '蒙志刚'])
    await ok(qx.invoke('dispatch.assign', { dispatchId: d.id, agentId: uid('agent_qx1') }))
    // 江南区's leader is not that team, and their agent is still another district's
    expect(await jn.invoke('dispatch.list', {})).toMatchObject({ ok: true, value: [] })
    expect(await jn.invoke('dispatch.assign', { dispatchId: d.id, agentId: uid('agent_jn1') })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    expect(await admin.invoke('dispatch.assign', { dispatchId: d.id, agentId: uid('agent_jn1') })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', key: 'errors.crossDistrict' }
    })
    // a covered district cannot cover another (no chains), and the change is audited
    expect(await admin.invoke('districts.setCover', { code: '450107', coveredBy: '450102' })).toMatchObject({
      ok: false,
      error: { key: 'errors.coverChain' }
    })
    expect(audit('districts.setCover').at(-1)).toMatchObject({ before: null, after: '450103' })
  })
})
