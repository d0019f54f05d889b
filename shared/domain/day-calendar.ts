/**
 * A calendar of days off and days worked beyond the weekly pattern: China's statutory holidays
 * and their 调休 working weekends (core fills it from maintained data), plus what a campaign adds.
 * Kept apart from the data so the calling-time rules stay pure and testable with any calendar.
 */
export interface DayCalendar {
  /** The holiday's name in the language asked for (国庆节 / National Day), or null on an ordinary day. */
  holiday(day: string, locale?: 'zh-CN' | 'en'): string | null
  /** A weekend day that is worked (调休). */
  workedWeekend(day: string): boolean
  /** The years the data covers (inclusive); days outside them follow the weekly pattern alone. */
  readonly firstYear: number
  readonly lastYear: number
}

/** A working day by the weekly pattern (ISO weekdays), the holidays and the 调休 days. */
export function isWorkingDay(
  day: string,
  weekdays: readonly number[],
  weekday: number,
  cal?: DayCalendar | null
): boolean {
  if (!cal) return weekdays.includes(weekday)
  if (cal.holiday(day) !== null) return false
  if (cal.workedWeekend(day)) return true
  return weekdays.includes(weekday)
}
