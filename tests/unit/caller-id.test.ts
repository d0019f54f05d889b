import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { SYSTEM_USER } from '../../electron/core/invoke'
import type { CallerNumber, User } from '../../shared/contract'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { upload as uploadBytes } from '../helpers/upload'

let env: Awaited<ReturnType<typeof makeCore>>
let admin: CoreConnection
let op1: CoreConnection
const sh = (local: string) => new Date(`${local}+08:00`)

beforeEach(async () => {
  // Monday 2026-11-23, 10:00 in Nanning
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  admin = await loginAs(env.core, 'admin')
  op1 = await loginAs(env.core, 'op1')
})
afterEach(() => env.cleanup())

const POOL = [
  '号码,运营商,线路,活动,状态',
  '0771-5123456,中国电信,GX-1,,启用',
  '+86 771 5123457,电信,GX-1,,启用',
  '0773-2123456,中国电信,GX-2,,启用',
  '020-81234567,中国电信,GD-1,,启用',
  '0771-5123458,中国电信,GX-1,,停用'
].join('\n')

async function importPool(text = POOL) {
  const file = join(env.dir, 'pool.csv')
  writeFileSync(file, text)
  return env.core.callerIds.importFile(file, SYSTEM_USER, 'test', 'zh-CN')
}

const pick = (phone: string) => ok<{ number: string | null; reason: string }>(admin.invoke('numbers.pick', { phone }))

describe('the caller-ID pool (外显号码池)', () => {
  it('imports a file all or nothing: a service number or a bad status refuses the whole file, with the line and the reason', async () => {
    await expect(importPool(POOL + '\n95511,,,,启用')).rejects.toMatchObject({
      key: 'errors.callerIdFile',
      params: { count: 1, row: 7, reason: '95511 是服务号码（95 开头的短号或 400/800 号码），不能作为外显号码' }
    })
    await expect(importPool(POOL + '\n400-812-3123,,,,启用\n0771-5123459,,,,坏了')).rejects.toMatchObject({
      params: { count: 2, row: 7 }
    })
    expect(await ok<CallerNumber[]>(admin.invoke('numbers.list', {}))).toEqual([])
    expect(await importPool()).toEqual({ rows: 5, added: 5, updated: 0, mismatches: 0 })
    const list = await ok<CallerNumber[]>(admin.invoke('numbers.list', {}))
    expect(list.map((n) => [n.e164, n.region, n.line, n.status])).toEqual([
      ['+862081234567', '广东广州市', 'GD-1', 'active'],
      ['+867715123456', '广西南宁市', 'GX-1', 'active'],
      ['+867715123457', '广西南宁市', 'GX-1', 'active'],
      ['+867715123458', '广西南宁市', 'GX-1', 'suspended'],
      ['+867732123456', '广西桂林市', 'GX-2', 'active']
    ])
    // an operator does not manage the pool
    expect(await op1.invoke('numbers.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('picks the customer’s city, else their province, else any; the least used first; never a suspended or full number', async () => {
    await importPool()
    // 南宁 (a Nanning mobile): one of the two Nanning numbers in use, never the suspended one
    expect(await pick('13807711007')).toMatchObject({ reason: 'sameCity', number: '07715123456' })
    expect(await pick('0771-2881234')).toMatchObject({ reason: 'sameCity' })
    // 桂林, 柳州 (same province, no 柳州 number), 北京 (nothing near)
    expect(await pick('0773-2881234')).toEqual({ number: '07732123456', e164: '+867732123456', reason: 'sameCity' })
    expect(await pick('0772-2881234')).toMatchObject({ reason: 'sameProvince' })
    expect(await pick('010-62881234')).toMatchObject({ reason: 'any' })
    // spread evenly: once used today, the other Nanning number comes first
    const day = '2026-11-23'
    env.core.callerIds.repo.used(env.core.callerIds.repo.list(day).find((n) => n.number === '07715123456')!.id, day)
    expect(await pick('13807711007')).toMatchObject({ number: '07715123457' })
    // a full number is not picked: both Nanning numbers at their cap, 南宁 falls back to the province
    for (const n of env.core.callerIds.repo.list(day).filter((x) => x.city === '南宁市'))
      env.core.callerIds.repo.setCap(n.id, 1, new Date().toISOString())
    env.core.callerIds.repo.used(env.core.callerIds.repo.list(day).find((n) => n.number === '07715123457')!.id, day)
    expect(await pick('13807711007')).toMatchObject({ reason: 'sameProvince', number: '07732123456' })
    // picking uses nothing up
    expect((await ok<CallerNumber[]>(admin.invoke('numbers.list', {}))).map((n) => n.callsToday)).toEqual([
      0, 1, 1, 0, 0
    ])
  })

  it('a real dial shows the picked number, stores it on the call, and the same customer sees the same number all day', async () => {
    await importPool()
    const [leadId] = insertLeads(env.core.db, 1, { first: 7711007 - 0 })
    env.core.db
      .prepare("UPDATE leads SET phone = '13807711007', phone_province = '广西', phone_city = '南宁市' WHERE id = ?")
      .run(leadId)
    await ok(op1.invoke('desk.next', {}))
    const d = await ok<{ callId: number; callerId: string | null }>(op1.invoke('desk.dial', { leadId, line: 'sip' }))
    expect(d.callerId).toBe('+867715123456')
    expect(env.core.db.prepare('SELECT shown_number FROM calls WHERE id = ?').pluck().get(d.callId)).toBe('07715123456')
    await ok(op1.invoke('calls.end', { callId: d.callId, cause: 'no_answer', answered: false }))
    // the customer card's calls say which number the customer saw
    const me = await ok<User>(op1.invoke('auth.me', {}))
    expect(env.core.cards.card(me, leadId, { owedCall: true }).calls[0]).toMatchObject({
      callId: d.callId,
      shownNumber: '07715123456'
    })
    // later that day the least-used Nanning number is the other one — but this customer keeps theirs
    expect(await pick('13807711007')).toEqual({
      number: '07715123456',
      e164: '+867715123456',
      reason: 'sameCustomerToday'
    })
    expect(await pick('0771-2881234')).toMatchObject({ number: '07715123457', reason: 'sameCity' })
    // their number suspended (marked as 骚扰 by a phone app): no other number shows to them today
    const id = env.core.callerIds.repo.list('2026-11-23').find((n) => n.number === '07715123456')!.id
    await ok(admin.invoke('numbers.setStatus', { id, status: 'suspended', reason: '被标记为骚扰电话' }))
    expect(await pick('13807711007')).toMatchObject({ number: null, reason: 'customerRests' })
    // a number typed by hand shows one of the pool too (the default campaign's); an extension shows none
    const byHand = await ok<{ callId: number; callerId: string | null }>(
      op1.invoke('calls.start', { direction: 'outbound', line: 'sip', number: '0773-2881234' })
    )
    expect(byHand.callerId).toBe('+867732123456')
    expect(env.core.db.prepare('SELECT shown_number FROM calls WHERE id = ?').pluck().get(byHand.callId)).toBe(
      '07732123456'
    )
    await ok(op1.invoke('calls.end', { callId: byHand.callId, cause: 'no_answer', answered: false }))
    expect(await ok(op1.invoke('calls.start', { direction: 'outbound', line: 'sip', number: '2001' }))).toMatchObject({
      callerId: null
    })
    // the simulated line shows nothing and uses nothing
    expect((await ok<CallerNumber[]>(admin.invoke('numbers.list', {}))).find((n) => n.id === id)).toMatchObject({
      status: 'suspended',
      statusReason: '被标记为骚扰电话',
      callsToday: 1
    })
  })

  it('number health: a number nobody answers any more is taken out of use, and the managers are told', async () => {
    await importPool()
    const op = env.core.db.prepare("SELECT id FROM users WHERE username = 'op1'").pluck().get() as number
    const call = env.core.db.prepare(
      "INSERT INTO calls (operator_id, direction, line, started_at, answered_at, ended_at, shown_number) VALUES (?, 'outbound', 'sip', ?, ?, ?, ?)"
    )
    const at = (min: number) => new Date(sh('2026-11-23T09:00:00').getTime() + min * 60_000).toISOString()
    // 30 calls shown as 0771-5123456 today, 2 answered (2 minutes each); 29 of 0773-2123456, all answered
    for (let i = 0; i < 30; i++) call.run(op, at(i), i < 2 ? at(i) : null, i < 2 ? at(i + 2) : null, '07715123456')
    for (let i = 0; i < 29; i++) call.run(op, at(i), at(i), at(i + 1), '07732123456')
    const heard: unknown[] = []
    admin.subscribe((name, payload) => name === 'numbers.suspended' && heard.push(payload))
    expect(env.core.callerIds.checkHealth()).toEqual(['07715123456'])
    const list = await ok<CallerNumber[]>(admin.invoke('numbers.list', {}))
    expect(list.find((n) => n.number === '07715123456')).toMatchObject({
      status: 'suspended',
      statusReason: '今日接通率 7%（30 通）低于 8%，自动停用',
      today: { calls: 30, answered: 2, answerRate: 0.067, avgTalkSec: 120 }
    })
    expect(list.find((n) => n.number === '07732123456')).toMatchObject({
      status: 'active',
      today: { calls: 29, answerRate: 1 }
    })
    expect(heard).toEqual([{ number: '+867715123456', reason: '今日接通率 7%（30 通）低于 8%，自动停用' }])
    // taken out of use: a Nanning customer now gets the other Nanning number
    expect(await pick('13807711007')).toMatchObject({ number: '07715123457', reason: 'sameCity' })
    expect(env.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'numbers.suspend'").pluck().get()).toBe(1)
    // its days: 3 calls two days ago (all answered, a minute each), none yesterday, today's 30
    const earlier = (min: number) => new Date(sh('2026-11-21T15:00:00').getTime() + min * 60_000).toISOString()
    for (let i = 0; i < 3; i++) call.run(op, earlier(i), earlier(i), earlier(i + 1), '07715123456')
    const id = list.find((n) => n.number === '07715123456')!.id
    const days = await ok<{ day: string; calls: number; answerRate: number | null; avgTalkSec: number | null }[]>(
      admin.invoke('numbers.health', { id, days: 3 })
    )
    expect(days.map((d) => [d.day, d.calls, d.answerRate, d.avgTalkSec])).toEqual([
      ['2026-11-21', 3, 1, 60],
      ['2026-11-22', 0, null, null],
      ['2026-11-23', 30, 0.067, 120]
    ])
    expect(await op1.invoke('numbers.health', { id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('the hub imports an uploaded file for an administrator only', async () => {
    const uploadId = await uploadBytes(admin, 'pool.csv', Buffer.from(POOL))
    expect(await ok(admin.invoke('numbers.import', { uploadId }))).toMatchObject({ rows: 5, added: 5 })
    const sup = await loginAs(env.core, 'supervisor')
    const again = await uploadBytes(sup, 'pool.csv', Buffer.from(POOL))
    expect(await sup.invoke('numbers.import', { uploadId: again })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
  })
})
