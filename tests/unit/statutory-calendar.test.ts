import { describe, expect, it } from 'vitest'
import { callingWindow } from '../../shared/domain/calling-time'
import { STATUTORY_CALENDAR, withExtraDays } from '../../electron/core/calendar/statutory'
import { dispatchDeadlines, followUpWindow, nextWorkday } from '../../electron/core/dispatch/deadlines'
import { DEFAULT_SETTINGS } from '../../electron/core/settings/service'

const TZ = 'Asia/Shanghai'
const sh = (local: string) => new Date(`${local}+08:00`)
const weekdays = {
  windows: [
    { days: [1, 2, 3, 4, 5], start: '10:00', end: '12:00' },
    { days: [1, 2, 3, 4, 5], start: '13:30', end: '18:00' }
  ],
  holidays: [] as string[],
  extraWorkdays: [] as string[]
}
const statutory = { ...weekdays, calendar: STATUTORY_CALENDAR }

describe('China’s statutory calendar', () => {
  it('knows the holidays and the 调休 working weekends, and the years it covers', () => {
    expect(STATUTORY_CALENDAR.holiday('2026-10-01')).toBe('国庆节')
    expect(STATUTORY_CALENDAR.holiday('2026-10-01', 'en')).toBe('National Day')
    expect(STATUTORY_CALENDAR.holiday('2026-04-05')).toBe('清明节')
    expect(STATUTORY_CALENDAR.holiday('2026-10-08')).toBeNull()
    expect(STATUTORY_CALENDAR.workedWeekend('2026-10-10')).toBe(true) // a Saturday worked for 国庆
    expect(STATUTORY_CALENDAR.workedWeekend('2026-10-17')).toBe(false)
    expect(STATUTORY_CALENDAR.firstYear).toBeLessThanOrEqual(2010)
    expect(STATUTORY_CALENDAR.lastYear).toBeGreaterThanOrEqual(2026)
  })

  it('closes the calling window on 2026-10-01 and says when it opens, by name', () => {
    const v = callingWindow(sh('2026-10-01T11:00:00'), statutory, TZ)
    expect(v).toEqual({
      open: false,
      reason: 'holiday',
      opensAt: sh('2026-10-08T10:00:00'),
      holiday: { zh: '国庆节', en: 'National Day' }
    })
    // without the calendar, 10-01 (a Thursday) would be an ordinary day
    expect(callingWindow(sh('2026-10-01T11:00:00'), weekdays, TZ).open).toBe(true)
  })

  it('opens on a 调休 Saturday with Monday’s windows', () => {
    expect(callingWindow(sh('2026-10-10T11:00:00'), statutory, TZ)).toMatchObject({ open: true })
    expect(callingWindow(sh('2026-10-10T12:30:00'), statutory, TZ)).toMatchObject({
      open: false,
      reason: 'outsideWindow',
      opensAt: sh('2026-10-10T13:30:00')
    })
    expect(callingWindow(sh('2026-10-17T11:00:00'), statutory, TZ).open).toBe(false)
  })

  it('a campaign’s own days add to it: an extra day off, and a holiday worked', () => {
    const cal = withExtraDays(STATUTORY_CALENDAR, ['2026-11-11'], ['2026-10-02'])
    expect(cal?.holiday('2026-11-11')).toBe('休息日')
    expect(cal?.holiday('2026-10-02')).toBeNull()
    const own = { ...weekdays, holidays: ['2026-11-11'], extraWorkdays: ['2026-10-02'], calendar: STATUTORY_CALENDAR }
    expect(callingWindow(sh('2026-11-11T11:00:00'), own, TZ)).toMatchObject({ open: false, reason: 'holiday' })
    expect(callingWindow(sh('2026-10-02T11:00:00'), own, TZ).open).toBe(true)
  })

  it('dispatch: the package day and the 09:30 assignment skip holidays and count 调休 Saturdays', () => {
    const s = DEFAULT_SETTINGS.dispatch
    // a success on the last day before 国庆 after the cut-off: packaged on 10-08, assigned 10-09
    expect(dispatchDeadlines(sh('2026-09-30T20:30:00'), s, TZ, STATUTORY_CALENDAR)).toMatchObject({
      packageDay: '2026-10-08'
    })
    expect(dispatchDeadlines(sh('2026-09-30T20:30:00'), s, TZ, STATUTORY_CALENDAR).assignDue).toEqual(
      sh(`2026-10-09T${s.assignBy}:00`)
    )
    // on a holiday itself: the next working day
    expect(dispatchDeadlines(sh('2026-10-03T11:00:00'), s, TZ, STATUTORY_CALENDAR).packageDay).toBe('2026-10-08')
    // Friday 10-09 after the cut-off: the 调休 Saturday 10-10 is a working day
    expect(dispatchDeadlines(sh('2026-10-09T20:30:00'), s, TZ, STATUTORY_CALENDAR).packageDay).toBe('2026-10-10')
    expect(nextWorkday('2026-10-10', s.workdays, STATUTORY_CALENDAR)).toBe('2026-10-12')
    // without the calendar the old weekly rule holds
    expect(dispatchDeadlines(sh('2026-09-30T20:30:00'), s, TZ).packageDay).toBe('2026-10-01')
  })

  it('follow-ups: a window on a holiday moves to the next follow-up day', () => {
    const f = { ...DEFAULT_SETTINGS.followUp, days: [5], start: '13:30', end: '18:00', dueDay: 6 }
    // reported Wednesday 09-30: Friday 10-02 is 国庆, so the window is Friday 10-09, due Saturday 10-10
    const w = followUpWindow(sh('2026-09-30T16:00:00'), f, TZ, null, STATUTORY_CALENDAR)
    expect(w.from).toEqual(sh('2026-10-09T13:30:00'))
    expect(w.due).toEqual(sh(`2026-10-10T${f.dueTime}:00`))
  })
})

describe('desk.why names the holiday', () => {
  it('on 国庆 a lead is not dialable until 10月8日 10:00, said with the holiday’s name', async () => {
    const { makeCore, loginAs, ok } = await import('../helpers/core')
    const env = await makeCore({ start: '2026-10-01T03:00:00Z' })
    try {
      const sup = await loginAs(env.core, 'supervisor')
      await env.core.leads.importFile(
        Buffer.from('客户姓名,手机号\r\n张伟,13807711234\r\n'),
        { fileName: 'one.csv', source: 'test', campaignId: 1, policy: 'skip', userId: null },
        {},
        'test'
      )
      const leadId = env.core.db.prepare('SELECT id FROM leads ORDER BY id LIMIT 1').pluck().get() as number
      const why = await ok<{ dialable: boolean; blocks: { code: string; text: string; until: string }[] }>(
        sup.invoke('desk.why', { leadId })
      )
      expect(why.dialable).toBe(false)
      expect(why.blocks[0]).toEqual({
        code: 'holiday',
        text: '国庆节，10月8日 10:00 起可拨',
        until: '2026-10-08T02:00:00.000Z'
      })
      // a campaign that does not follow the statutory calendar calls on 10-01 (a Thursday)
      await sup.invoke('campaigns.update', { id: 1, settings: { statutoryCalendar: false } })
      const open = await ok<{ blocks: { code: string }[] }>(sup.invoke('desk.why', { leadId }))
      expect(open.blocks.map((b) => b.code)).not.toContain('holiday')
    } finally {
      env.cleanup()
    }
  })
})
