import data from 'chinese-days/dist/chinese-days.json'
import type { DayCalendar } from '../../../shared/domain/day-calendar'

/**
 * China's statutory holidays (法定节假日) and the weekends worked in lieu (调休上班), from the
 * `chinese-days` package, which follows the State Council's yearly notice. Its data ends with the
 * last year the notice has been published for; past that, an administrator may load the next year's
 * notice (centre.ts), else only weekends are days off, and the administrator is warned (系统设置).
 */
type Entry = string // "National Day,国庆节,3"

const holidays = data.holidays as Record<string, Entry>
const workdays = data.workdays as Record<string, Entry>

function years(): [number, number] {
  const ys = Object.keys(holidays).map((d) => Number(d.slice(0, 4)))
  return [Math.min(...ys), Math.max(...ys)]
}
const [firstYear, lastYear] = years()

function nameOf(entry: Entry, locale: 'zh-CN' | 'en'): string {
  const [en, zh] = entry.split(',')
  if (locale === 'en') return en
  // the data writes 清明, 端午, 中秋 without 节
  return /节$|元旦$/.test(zh) ? zh : `${zh}节`
}

const ENGLISH = new Map(Object.values(holidays).map((e) => [nameOf(e, 'zh-CN'), nameOf(e, 'en')]))

/** National Day for 国庆节: the English name of a holiday the bundled data knows. */
export function statutoryEnglishName(zh: string): string | undefined {
  return ENGLISH.get(zh)
}

export const STATUTORY_CALENDAR: DayCalendar = {
  holiday: (day, locale = 'zh-CN') => {
    const e = holidays[day]
    return e ? nameOf(e, locale) : null
  },
  workedWeekend: (day) => day in workdays,
  firstYear,
  lastYear
}

/**
 * A campaign's own extra closed days and worked days on top of a base calendar (the statutory one,
 * or none when the campaign does not follow it). An extra worked day beats a holiday.
 */
export function withExtraDays(
  base: DayCalendar | null,
  extraHolidays: readonly string[],
  extraWorkdays: readonly string[]
): DayCalendar | null {
  if (!extraHolidays.length && !extraWorkdays.length) return base
  const closed = new Set(extraHolidays)
  const worked = new Set(extraWorkdays)
  return {
    holiday(day, locale = 'zh-CN') {
      if (worked.has(day)) return null
      if (closed.has(day)) return base?.holiday(day, locale) ?? (locale === 'en' ? 'Day off' : '休息日')
      return base?.holiday(day, locale) ?? null
    },
    workedWeekend: (day) => worked.has(day) || (!closed.has(day) && (base?.workedWeekend(day) ?? false)),
    firstYear: base?.firstYear ?? 0,
    lastYear: base?.lastYear ?? 0
  }
}
