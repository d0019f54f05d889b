import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import type { DncEntry } from '../../shared/contract'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
let sup: CoreConnection
let admin: CoreConnection
const sh = (local: string) => new Date(`${local}+08:00`)

beforeEach(async () => {
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  sup = await loginAs(env.core, 'supervisor')
  admin = await loginAs(env.core, 'admin')
})
afterEach(() => env.cleanup())

async function upload(c: CoreConnection, name: string, bytes: Buffer): Promise<string> {
  const { uploadId } = await ok<{ uploadId: string }>(c.invoke('uploads.begin', { name, size: bytes.length }))
  await ok(c.invoke('uploads.chunk', { uploadId, offset: 0, data: bytes.toString('base64') }))
  return uploadId
}

const status = (phone: string, campaignId: number) =>
  env.core.db.prepare('SELECT status FROM leads WHERE phone = ? AND campaign_id = ?').pluck().get(phone, campaignId)

describe('the do-not-call list, governed', () => {
  it('an entry stops its scope only: one campaign, one insurer’s campaigns, or all; calls or SMS', async () => {
    const ping = await ok<{ id: number }>(sup.invoke('campaigns.create', { name: '平安寿险外呼' }))
    await ok(sup.invoke('campaigns.update', { id: ping.id, settings: { insurer: '平安人寿' } }))
    const other = await ok<{ id: number }>(sup.invoke('campaigns.create', { name: '车险续保' }))
    // a number is one lead in one campaign; the list is asked for a number in any campaign
    insertLeads(env.core.db, 1, { campaignId: other.id, first: 500 })
    insertLeads(env.core.db, 1, { campaignId: ping.id, first: 501 })
    const [a, b] = ['13900000500', '13900000501']
    const check = (phone: string, campaignId: number, channel: 'call' | 'sms' = 'call') =>
      ok<{ blocked: boolean; entry: DncEntry | null }>(sup.invoke('dnc.check', { phone, campaignId, channel }))

    // one campaign: its lead is parked, the number may still be called for another campaign
    await ok(
      sup.invoke('dnc.add', {
        phone: a,
        source: 'customer_request',
        reason: '只拒绝车险',
        scope: 'campaign',
        scopeRef: String(other.id)
      })
    )
    expect(status(a, other.id)).toBe('dnc')
    expect(await check(a, other.id)).toMatchObject({
      blocked: true,
      entry: { source: 'customer_request', scope: 'campaign' }
    })
    expect(await check(a, ping.id)).toEqual({ blocked: false, entry: null })

    // one insurer: its campaigns only
    await ok(
      sup.invoke('dnc.add', {
        phone: b,
        source: 'regulator',
        reason: '监管转办',
        scope: 'insurer',
        scopeRef: '平安人寿'
      })
    )
    expect(status(b, ping.id)).toBe('dnc')
    expect((await check(b, ping.id)).entry).toMatchObject({
      source: 'regulator',
      scope: 'insurer',
      scopeRef: '平安人寿',
      expiresAt: null
    })
    expect((await check(b, 1)).blocked).toBe(false)
    expect((await check(b, other.id)).blocked).toBe(false)

    // SMS only: calls go on
    const phone = '13900000502'
    insertLeads(env.core.db, 1, { first: 502 })
    await ok(sup.invoke('dnc.add', { phone, source: 'customer_request', reason: '不要短信', channel: 'sms' }))
    expect(await check(phone, 1)).toMatchObject({ blocked: false })
    expect(await check(phone, 1, 'sms')).toMatchObject({ blocked: true, entry: { channel: 'sms' } })
    expect(status(phone, 1)).toBe('new')

    // a scope must name its insurer or campaign, and the campaign must exist
    expect(await sup.invoke('dnc.add', { phone, reason: 'x', scope: 'insurer' })).toMatchObject({
      ok: false,
      error: { key: 'errors.dncScopeRef' }
    })
    expect(await sup.invoke('dnc.add', { phone, reason: 'x', scope: 'campaign', scopeRef: '9999' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
  })

  it('a refusal lasts 180 days by default, a request for good; an entry may start on a later day', async () => {
    insertLeads(env.core.db, 1, { first: 600 })
    const phone = '13900000600'
    const r = await ok<{ expiresAt: string }>(sup.invoke('dnc.add', { phone, source: 'refusal', reason: '拒绝' }))
    expect(new Date(r.expiresAt).getTime() - env.clock.now().getTime()).toBe(180 * 24 * 3600_000)
    expect(
      await ok(sup.invoke('dnc.add', { phone: '13900000601', source: 'customer_request', reason: '要求' }))
    ).toMatchObject({
      expiresAt: null
    })
    // an association's list that takes effect on 12-01
    await ok(
      sup.invoke('dnc.add', {
        phone: '13900000602',
        source: 'external_list',
        reason: '协会名单',
        effectiveOn: '2026-12-01',
        days: 365
      })
    )
    const later = () => ok<{ blocked: boolean }>(sup.invoke('dnc.check', { phone: '13900000602', campaignId: 1 }))
    expect(await later()).toEqual({ blocked: false, entry: null })
    env.clock.set(sh('2026-12-01T00:00:01'))
    sup = await loginAs(env.core, 'supervisor')
    expect(await later()).toMatchObject({
      blocked: true,
      entry: { effectiveAt: sh('2026-12-01T00:00:00').toISOString() }
    })
    expect(status(phone, 1)).toBe('dnc')
  })

  it('a list of numbers with its source and scope; taking one off keeps the entry, with who and why', async () => {
    const ping = await ok<{ id: number }>(sup.invoke('campaigns.create', { name: '平安寿险外呼' }))
    insertLeads(env.core.db, 3, { campaignId: ping.id, first: 700 })
    insertLeads(env.core.db, 1, { campaignId: 1, first: 703 })
    const file = await upload(sup, '协会.csv', Buffer.from('手机号码\n13900000700\n13900000703\n139000007\n'))
    expect(
      await ok(
        sup.invoke('dnc.import', {
          uploadId: file,
          source: 'external_list',
          reason: '行业协会拒接名单',
          scope: 'campaign',
          scopeRef: String(ping.id)
        })
      )
    ).toEqual({ rows: 3, added: 2, invalid: 1, leadsStopped: 1 })
    // in scope its lead is parked; out of scope (a lead of another campaign) it is not
    expect([status('13900000700', ping.id), status('13900000703', 1), status('13900000701', ping.id)]).toEqual([
      'dnc',
      'new',
      'new'
    ])
    const [e] = await ok<DncEntry[]>(sup.invoke('dnc.list', { q: '13900000700' }))
    expect(e).toMatchObject({
      source: 'external_list',
      scope: 'campaign',
      scopeRef: String(ping.id),
      listName: expect.stringContaining('协会.csv')
    })

    // off the list: an administrator, with a reason; the entry stays on record
    expect(await admin.invoke('dnc.remove', { phone: '13900000700', reason: '' })).toMatchObject({ ok: false })
    await ok(admin.invoke('dnc.remove', { phone: '13900000700', reason: '名单有误，协会已更正' }))
    expect(status('13900000700', ping.id)).toBe('new')
    expect(await ok(sup.invoke('dnc.list', { q: '13900000700' }))).toEqual([])
    expect(await ok(sup.invoke('dnc.list', { q: '13900000700', withRemoved: true }))).toEqual([
      expect.objectContaining({ removedBy: 'admin', removedReason: '名单有误，协会已更正' })
    ])
    expect(
      env.core.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'dnc.%' ORDER BY id").pluck().all()
    ).toEqual(['dnc.import', 'dnc.remove'])

    // the live list goes to another centre as a CSV
    const x = await ok<{ token: string; rows: number }>(sup.invoke('dnc.export', {}))
    expect(x.rows).toBe(1)
    const f = await ok<{ data: string }>(sup.invoke('downloads.read', { token: x.token }))
    const text = Buffer.from(f.data, 'base64').toString('utf8')
    expect(text.split('\r\n')[1]).toMatch(/^13900000703,external_list,campaign,\d+,all,行业协会拒接名单,/)
  })
})
