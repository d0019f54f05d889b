import { describe, expect, it } from 'vitest'
import { demoUserOf, loginAs, makeCore, ok } from '../helpers/core'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import data from 'chinese-days/dist/chinese-days.json'
import { parseHolidayNotice } from '../../electron/core/calendar/notice'

const notice2026 = readFileSync(join(__dirname, '../fixtures/calendar/notice-2026.txt'), 'utf8')

describe('the State Council’s holiday notice, read into days', () => {
  it('the 2026 notice as published gives exactly the days the bundled data has for 2026', () => {
    const r = parseHolidayNotice(notice2026, 2026)
    if (!r.ok) throw new Error(JSON.stringify(r))
    const of = (kind: string) =>
      r.days
        .filter((d) => d.kind === kind)
        .map((d) => d.day)
        .sort()
    const lib = (o: Record<string, string>) =>
      Object.keys(o)
        .filter((d) => d.startsWith('2026'))
        .sort()
    expect(of('holiday')).toEqual(lib(data.holidays))
    expect(of('workday')).toEqual(lib(data.workdays))
    expect(r.days.find((d) => d.day === '2026-02-28')).toEqual({ day: '2026-02-28', kind: 'workday', name: '春节' })
    expect(r.days.find((d) => d.day === '2026-10-07')).toEqual({ day: '2026-10-07', kind: 'holiday', name: '国庆节' })
  })

  it('ranges across a month, shared holidays, full-width digits and plain lines', () => {
    const r = parseHolidayNotice(
      [
        '一、国庆节、中秋节：９月３０日（周四）至10月7日（周四）放假调休，共8天。9月26日（周日）、10月9日（周六）上班。',
        '2027-12-31 元旦 放假',
        '2027-12-25 上班'
      ].join('\n'),
      2027
    )
    if (!r.ok) throw new Error(JSON.stringify(r))
    expect(r.days.filter((d) => d.kind === 'holiday').map((d) => d.day)).toEqual([
      '2027-09-30',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
      '2027-10-04',
      '2027-10-05',
      '2027-10-06',
      '2027-10-07',
      '2027-12-31'
    ])
    expect(r.days.filter((d) => d.kind === 'workday').map((d) => [d.day, d.name])).toEqual([
      ['2027-09-26', '国庆节'],
      ['2027-10-09', '国庆节'],
      ['2027-12-25', '调休上班']
    ])
  })

  it('says which line is wrong, and why', () => {
    expect(parseHolidayNotice('', 2027)).toMatchObject({ ok: false, problem: 'empty' })
    expect(parseHolidayNotice('一、春节：2月30日至3月2日放假', 2027)).toMatchObject({
      ok: false,
      problem: 'badDate',
      line: 1
    })
    expect(parseHolidayNotice('title\n一、元旦：1月1日放假。1月6日（周三）上班。', 2027)).toMatchObject({
      ok: false,
      problem: 'notWeekend',
      line: 2
    })
    expect(parseHolidayNotice('2026-10-01 国庆节', 2027)).toMatchObject({ ok: false, problem: 'wrongYear', line: 1 })
    expect(parseHolidayNotice('一、元旦：元旦休息', 2027)).toMatchObject({
      ok: false,
      problem: 'unreadableLine',
      line: 1
    })
    expect(parseHolidayNotice('2027-01-09 上班', 2027)).toMatchObject({ ok: false, problem: 'noHolidays' })
    expect(parseHolidayNotice('2027-01-09 元旦\n2027-01-09 上班', 2027)).toMatchObject({
      ok: false,
      problem: 'both',
      line: 2
    })
  })
})

describe('loading next year’s notice before an update of the app brings it', () => {
  const NOTICE_2027 = [
    '国务院办公厅关于2027年部分节假日安排的通知（测试用的样例，非真实通知）',
    '一、元旦：1月1日（周五）至3日（周日）放假，共3天。',
    '七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。'
  ].join('\n')

  it('warns in the data’s last month, reads the notice, saves it for the admin only, and the dial rules follow it', async () => {
    const env = await makeCore({ demo: true, start: '2026-12-07T02:00:00Z' })
    try {
      const admin = await loginAs(env.core, demoUserOf('admin'))
      const before = await ok<{ endsSoon: boolean; covered: boolean; lastYear: number; upcoming: { day: string }[] }>(
        admin.invoke('system.calendar', {})
      )
      expect(before).toMatchObject({ covered: true, endsSoon: true, lastYear: 2026, bundledLastYear: 2026, loaded: [] })
      expect(before.upcoming).toEqual([])

      // a dry run reads it and changes nothing
      const read = await ok<{ holidays: unknown[]; workdays: unknown[]; saved: boolean }>(
        admin.invoke('system.loadHolidays', { year: 2027, text: NOTICE_2027, dryRun: true })
      )
      expect(read).toEqual({
        year: 2027,
        holidays: [
          { name: '元旦', from: '2027-01-01', to: '2027-01-03', days: 3 },
          { name: '国庆节', from: '2027-10-01', to: '2027-10-07', days: 7 }
        ],
        workdays: [
          { day: '2027-09-26', name: '国庆节' },
          { day: '2027-10-09', name: '国庆节' }
        ],
        saved: false
      })
      expect(env.core.db.prepare('SELECT count(*) FROM calendar_days').pluck().get()).toBe(0)

      // a supervisor may look, not load; a bundled year and a bad notice are refused in words
      const sup = await loginAs(env.core, demoUserOf('supervisor'))
      expect(await sup.invoke('system.loadHolidays', { year: 2027, text: NOTICE_2027, dryRun: false })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' }
      })
      const bundled = await admin.invoke('system.loadHolidays', { year: 2026, text: NOTICE_2027, dryRun: true })
      expect(bundled).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
      expect(!bundled.ok && bundled.error.message).toBe(
        '2026 年的放假安排已在软件内置数据中（内置数据到 2026 年），不需要手动载入'
      )
      const bad = await admin.invoke('system.loadHolidays', {
        year: 2027,
        text: '一、元旦：1月1日放假。1月6日（周三）上班。',
        dryRun: false
      })
      expect(!bad.ok && bad.error.message).toBe(
        '第 1 行的调休上班日不是周六或周日：“一、元旦：1月1日放假。1月6日（周三）上班。”'
      )

      await ok(admin.invoke('system.loadHolidays', { year: 2027, text: NOTICE_2027, dryRun: false }))
      const after = await ok<{
        endsSoon: boolean
        lastYear: number
        loaded: unknown[]
        upcoming: { day: string; name: string }[]
      }>(admin.invoke('system.calendar', {}))
      expect(after).toMatchObject({ endsSoon: false, lastYear: 2027, bundledLastYear: 2026 })
      expect(after.loaded).toMatchObject([{ year: 2027, holidays: 10, workdays: 2, loadedBy: 'admin' }])
      expect(after.upcoming.slice(0, 2)).toEqual([
        { day: '2027-01-01', name: '元旦' },
        { day: '2027-10-01', name: '国庆节' }
      ])
      const audit = env.core.db
        .prepare("SELECT entity, entity_id FROM audit_log WHERE action = 'system.loadHolidays'")
        .all()
      expect(audit).toEqual([{ entity: 'calendar', entity_id: '2027' }])

      // a lead on 2027-10-01 10:00 (a Friday) waits for 10-08; the Saturday 10-09 is worked
      env.clock.set('2027-10-01T02:00:00Z')
      await env.core.leads.importFile(
        Buffer.from('客户姓名,手机号\r\n张伟,13807711234\r\n'),
        { fileName: 'one.csv', source: 'test', campaignId: 1, policy: 'skip', userId: null },
        {},
        'test'
      )
      const leadId = env.core.db.prepare('SELECT id FROM leads ORDER BY id DESC LIMIT 1').pluck().get() as number
      const sup2 = await loginAs(env.core, demoUserOf('supervisor'))
      const why = await ok<{ blocks: { code: string; text: string }[] }>(sup2.invoke('desk.why', { leadId }))
      expect(why.blocks[0]).toMatchObject({ code: 'holiday', text: '国庆节，10月8日 10:00 起可拨' })
      env.clock.set('2027-10-09T02:00:00Z')
      const sup3 = await loginAs(env.core, demoUserOf('supervisor'))
      const sat = await ok<{ blocks: { code: string }[] }>(sup3.invoke('desk.why', { leadId }))
      expect(sat.blocks.map((b) => b.code)).not.toContain('holiday')
      expect(sat.blocks.map((b) => b.code)).not.toContain('closedDay')
    } finally {
      env.cleanup()
    }
  })
})
