import type { DispatchSettings, FollowUpSettings } from '../../../shared/contract'
import { addDays, atLocal, hhmmToMinutes, localTime, weekdayOf } from '../../../shared/domain/calling-time'
import { isWorkingDay, type DayCalendar } from '../../../shared/domain/day-calendar'

/** The next working day after `day` (YYYY-MM-DD): skipping holidays, counting 调休 weekends as worked. */
export function nextWorkday(day: string, workdays: readonly number[], cal?: DayCalendar | null): string {
  let d = addDays(day, 1)
  // the longest run of days off (春节 with its weekends) is under two weeks
  for (let i = 0; i < 30 && !isWorkingDay(d, workdays, weekdayOf(d), cal); i++) d = addDays(d, 1)
  return d
}

/**
 * The deadlines of a success released to dispatch at `at` (docs/domain.md): it is in the package of
 * that day when that is a working day and it came before `receiveBy` (with the receiver by then),
 * else in the next working day's; it is assigned to an agent by `assignBy` on the working day after
 * its package day — and in any case `assignBeforeVisitHours` before the agreed visit (an agent told
 * after the visit time cannot go), though never before the success itself was released.
 */
export function dispatchDeadlines(
  at: Date,
  s: DispatchSettings,
  tz: string,
  cal?: DayCalendar | null,
  visit?: { visitAt: Date }
): { packageDay: string; receiveDue: Date; assignDue: Date } {
  const l = localTime(at, tz)
  const receiveBy = hhmmToMinutes(s.receiveBy)
  const packageDay =
    isWorkingDay(l.day, s.workdays, l.weekday, cal) && l.minutes < receiveBy
      ? l.day
      : nextWorkday(l.day, s.workdays, cal)
  let assignDue = atLocal(nextWorkday(packageDay, s.workdays, cal), hhmmToMinutes(s.assignBy), tz)
  if (visit) {
    const beforeVisit = new Date(visit.visitAt.getTime() - s.assignBeforeVisitHours * 3_600_000)
    if (beforeVisit < assignDue) assignDue = beforeVisit < at ? at : beforeVisit
  }
  return { packageDay, receiveDue: atLocal(packageDay, receiveBy, tz), assignDue }
}

/**
 * When a visited customer is called back. A visit: in the next follow-up window (default Friday
 * 13:30–18:00) from the report on, results due on the following due day (Saturday 18:00). A new
 * life policy of more than a year: from now, due inside the cooling-off period counted from the
 * day the customer received the policy (its last day, at the due time). Holidays are skipped: a
 * follow-up day or a due day that falls on one moves to the next such day that does not.
 */
export function followUpWindow(
  reportedAt: Date,
  s: FollowUpSettings,
  tz: string,
  coolingOff: { receivedOn: string } | null,
  cal?: DayCalendar | null
): { kind: 'visit' | 'cooling_off'; from: Date; due: Date } {
  const dueMinutes = hhmmToMinutes(s.dueTime)
  if (coolingOff)
    return {
      kind: 'cooling_off',
      from: reportedAt,
      due: atLocal(addDays(coolingOff.receivedOn, s.coolingOffDays), dueMinutes, tz)
    }
  const l = localTime(reportedAt, tz)
  let day = l.day
  // the first follow-up day whose window has not closed yet
  const off = (d: string) => (cal?.holiday(d) ?? null) !== null
  for (let i = 0; i < 40; i++) {
    if (s.days.includes(weekdayOf(day)) && !off(day) && (day !== l.day || l.minutes < hhmmToMinutes(s.end))) break
    day = addDays(day, 1)
  }
  const from = atLocal(day, hhmmToMinutes(s.start), tz)
  let dueDay = day
  for (let i = 0; i < 40 && (weekdayOf(dueDay) !== s.dueDay || dueDay === day || off(dueDay)); i++)
    dueDay = addDays(dueDay, 1)
  return { kind: 'visit', from: from < reportedAt ? reportedAt : from, due: atLocal(dueDay, dueMinutes, tz) }
}
