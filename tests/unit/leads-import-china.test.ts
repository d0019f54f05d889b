import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loginAs, makeCore, ok } from '../helpers/core'

type Page = { rows: { phoneRegion: string; phoneCarrier: string }[] }
type ReportRows = { rows: { outcome: string; reason: string }[] }

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
beforeEach(async () => {
  env = await makeCore({ demo: true, demoLeads: false })
})
afterEach(() => env.cleanup())

const LIST = [
  '客户姓名,手机号,家庭地址',
  '张伟,13807711234,南宁市青秀区民族大道100号', // 2 Nanning mobile
  '李娜,14012345678,', //                          3 IoT range: not allocated to voice
  '王芳,0771-55512345,', //                       4 eight local digits after 0771 (Nanning has seven)
  '赵强,400-123-4567,', //                         5 a 400 number
  '陈静,07725551234,柳州市', //                    6 Liuzhou landline: another city, same province
  '刘洋,13000061234,南京市', //                    7 a Nanjing mobile: another province
  '黄磊,+1 415 555 2671,' //                        8 not a Chinese number
].join('\r\n')

function importList(campaignId = 1) {
  return env.core.leads.importFile(
    Buffer.from(LIST, 'utf8'),
    { fileName: 'china.csv', source: 'test', campaignId, policy: 'skip', userId: null },
    {},
    'test'
  )
}

const rows = (batchId: number) =>
  env.core.db
    .prepare('SELECT row_no, outcome, reason, detail FROM import_rows WHERE batch_id = ? ORDER BY row_no')
    .all(batchId) as { row_no: number; outcome: string; reason: string; detail: string }[]

describe('an import checks numbers with libphonenumber and keeps their 归属地', () => {
  it('refuses numbers that cannot answer, with the reason, and stores region and carrier of the rest', async () => {
    const r = await importList()
    expect(r).toMatchObject({ rows: 7, imported: 3, invalid: 4, outsideCity: 2, outsideProvince: 1 })
    expect(rows(r.batchId).map((x) => [x.row_no, x.reason])).toEqual([
      [3, 'phone.notAllocated'],
      [4, 'phone.wrongLengthForArea'],
      [5, 'phone.notDialable'],
      [8, 'phone.notChinese']
    ])
    expect(
      env.core.db.prepare('SELECT phone, phone_province, phone_city, phone_carrier FROM leads ORDER BY id').all()
    ).toEqual([
      { phone: '13807711234', phone_province: '广西', phone_city: '南宁市', phone_carrier: '中国移动' },
      { phone: '07725551234', phone_province: '广西', phone_city: '柳州市', phone_carrier: '' },
      { phone: '13000061234', phone_province: '江苏', phone_city: '南京市', phone_carrier: '中国联通' }
    ])
    const sup = await loginAs(env.core, 'supervisor')
    // the report on screen says why in words, with the area code's real length
    const screen = await sup.invoke('leads.importRows', { batchId: r.batchId })
    expect(screen).toMatchObject({
      ok: true,
      value: {
        total: 4,
        rows: [
          { rowNo: 3, reason: '140 开头的号段未分配给手机语音业务（如物联网、数据卡号段），拨打不通' },
          {
            rowNo: 4,
            reason: '区号 0771（南宁市）的固定电话本地号码应为 7 位',
            region: '广西南宁市'
          },
          { rowNo: 5, reason: '400 号码不是个人电话，不作为名单' },
          { rowNo: 8, reason: '不是中国大陆的号码（国际及港澳台号码不作为名单）' }
        ]
      }
    })
    const batches = await sup.invoke('leads.batches', {})
    expect(batches).toMatchObject({ ok: true, value: [{ id: r.batchId, outsideCity: 2, outsideProvince: 1 }] })
    // the pool's list shows and filters by 归属地
    const all = await ok<Page>(sup.invoke('leads.search', { phoneProvince: '广西' }))
    expect(all.rows.map((l) => [l.phoneRegion, l.phoneCarrier])).toEqual([
      ['广西柳州市', ''],
      ['广西南宁市', '中国移动']
    ])
    const nanning = await ok<Page>(sup.invoke('leads.search', { phoneProvince: '广西', phoneCity: '南宁市' }))
    expect(nanning.rows.length).toBe(1)
    const regions = await ok<{ city: string }[]>(sup.invoke('leads.regions', {}))
    expect(regions.sort((a, b) => (a.city < b.city ? -1 : 1))).toEqual([
      { province: '江苏', city: '南京市', leads: 1 },
      { province: '广西', city: '南宁市', leads: 1 },
      { province: '广西', city: '柳州市', leads: 1 }
    ])
  })

  it('a campaign flags or refuses numbers from outside its area', async () => {
    const sup = await loginAs(env.core, 'supervisor')
    await sup.invoke('campaigns.update', { id: 1, settings: { outsideArea: 'refuse', outsideScope: 'province' } })
    const refused = await importList()
    expect(refused).toMatchObject({ imported: 2, invalid: 5, outsideCity: 1, outsideProvince: 0 })
    expect(rows(refused.batchId).find((x) => x.row_no === 7)).toMatchObject({
      outcome: 'invalid',
      reason: 'outsideArea',
      detail: '江苏南京市'
    })
    env.core.db.exec(
      'DELETE FROM import_rows; DELETE FROM leads_fts; UPDATE leads_fts_state SET upto = 0; DELETE FROM leads'
    )
    await sup.invoke('campaigns.update', { id: 1, settings: { outsideArea: 'flag', outsideScope: 'city' } })
    const flagged = await importList()
    expect(flagged).toMatchObject({ imported: 3, warnings: 2, outsideCity: 2 })
    const screen = await ok<ReportRows>(sup.invoke('leads.importRows', { batchId: flagged.batchId }))
    expect(screen.rows.filter((x) => x.outcome === 'warning').map((x) => x.reason)).toEqual([
      '号码归属地为 广西柳州市，不在本活动的地区内',
      '号码归属地为 江苏南京市，不在本活动的地区内'
    ])
  })

  it('looks up the 归属地 of leads imported before numbers carried it', async () => {
    const r = await importList()
    env.core.db.exec('UPDATE leads SET phone_province = NULL, phone_city = NULL, phone_carrier = NULL')
    expect(env.core.leads.fillPhoneRegions(2)).toBe(2)
    expect(env.core.leads.fillPhoneRegions(2)).toBe(1)
    expect(env.core.leads.fillPhoneRegions(2)).toBe(0)
    expect(env.core.db.prepare('SELECT phone_city FROM leads ORDER BY id').pluck().all()).toEqual([
      '南宁市',
      '柳州市',
      '南京市'
    ])
    expect(r.imported).toBe(3)
  })
})
