import type { DayCalendar } from './day-calendar'

/**
 * When a campaign may call: its calling windows on working days, never on holidays, and never
 * outside the legal 09:00–21:00 (life-insurance telesales rules, 2013; docs/domain.md). All read in
 * the centre's time zone. A window's end is exclusive: at 21:00 sharp the line is closed.
 * Holidays are the calendar's (China's statutory ones, filled in by core) and the campaign's own
 * list; a 调休 working weekend day, or one of the campaign's extra working days, takes Monday's windows.
 */
export interface WindowRules {
  windows: { days: number[]; start: string; end: string }[]
  holidays: string[]
  extraWorkdays: string[]
  calendar?: DayCalendar | null
}

/** The day is closed as a holiday (the campaign's list, or the calendar's unless the campaign works it). */
function closedOn(day: string, rules: WindowRules): boolean {
  if (rules.holidays.includes(day)) return true
  if (rules.extraWorkdays.includes(day)) return false
  return (rules.calendar?.holiday(day) ?? null) !== null
}

export const LEGAL_START = '09:00'
export const LEGAL_END = '21:00'

export interface LocalTime {
  day: string // YYYY-MM-DD
  minutes: number // since local midnight
  weekday: number // 1 = Monday … 7 = Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      hourCycle: 'h23'
    })
    formatters.set(tz, f)
  }
  return f
}
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }

export function localTime(at: Date, tz: string): LocalTime {
  const p: Record<string, string> = {}
  for (const part of formatter(tz).formatToParts(at)) p[part.type] = part.value
  return {
    day: `${p.year}-${p.month}-${p.day}`,
    minutes: Number(p.hour) * 60 + Number(p.minute) + Number(p.second) / 60,
    weekday: WEEKDAYS[p.weekday]
  }
}

export function hhmmToMinutes(s: string): number {
  return Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5))
}

/** The instant a local day's HH:MM falls on in the zone. */
export function atLocal(day: string, minutes: number, tz: string): Date {
  const guess = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), 0, minutes)
  // Correct by the zone's offset at that moment (twice, for a DST change in between).
  let t = guess
  for (let i = 0; i < 2; i++) {
    const l = localTime(new Date(t), tz)
    const asUtc = Date.UTC(
      Number(l.day.slice(0, 4)),
      Number(l.day.slice(5, 7)) - 1,
      Number(l.day.slice(8, 10)),
      0,
      Math.round(l.minutes)
    )
    t += guess - asUtc
  }
  return new Date(t)
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

export function weekdayOf(day: string): number {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay()
  return w === 0 ? 7 : w
}

/** The calling periods of one local day, in minutes, inside the legal window, sorted. */
export function periodsOn(day: string, rules: WindowRules): [number, number][] {
  if (closedOn(day, rules)) return []
  const weekday = rules.extraWorkdays.includes(day) || rules.calendar?.workedWeekend(day) ? 1 : weekdayOf(day)
  const legalStart = hhmmToMinutes(LEGAL_START)
  const legalEnd = hhmmToMinutes(LEGAL_END)
  return rules.windows
    .filter((w) => w.days.includes(weekday))
    .map((w): [number, number] => [
      Math.max(legalStart, hhmmToMinutes(w.start)),
      Math.min(legalEnd, hhmmToMinutes(w.end))
    ])
    .filter(([s, e]) => s < e)
    .sort((a, b) => a[0] - b[0])
}

export type ClosedReason = 'holiday' | 'legalHours' | 'outsideWindow' | 'noWindows'

export type WindowVerdict =
  | { open: true; closesAt: Date }
  | { open: false; reason: ClosedReason; opensAt: Date | null; holiday?: { zh: string; en: string } }

/** Is the campaign's line open now, and if not, why and from when. */
export function callingWindow(now: Date, rules: WindowRules, tz: string): WindowVerdict {
  const l = localTime(now, tz)
  const today = periodsOn(l.day, rules)
  const current = today.find(([s, e]) => l.minutes >= s && l.minutes < e)
  if (current) return { open: true, closesAt: atLocal(l.day, current[1], tz) }
  let opensAt: Date | null = null
  for (let d = 0; d <= 60 && !opensAt; d++) {
    const day = addDays(l.day, d)
    const next = periodsOn(day, rules).find(([s]) => d > 0 || s > l.minutes)
    if (next) opensAt = atLocal(day, next[0], tz)
  }
  const legal = l.minutes >= hhmmToMinutes(LEGAL_START) && l.minutes < hhmmToMinutes(LEGAL_END)
  const holiday = closedOn(l.day, rules)
  const reason: ClosedReason = !opensAt ? 'noWindows' : holiday ? 'holiday' : !legal ? 'legalHours' : 'outsideWindow'
  const name = holiday && !rules.holidays.includes(l.day) ? rules.calendar?.holiday(l.day) : null
  if (name)
    return { open: false, reason, opensAt, holiday: { zh: name, en: rules.calendar!.holiday(l.day, 'en') ?? name } }
  return { open: false, reason, opensAt }
}

/** ISO weekdays as runs, for reading: [1,2,3,4,5,7] → [[1,5],[7,7]] (Monday–Friday and Sunday). */
export function weekdayRuns(days: readonly number[]): [number, number][] {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b)
  const runs: [number, number][] = []
  for (const d of sorted) {
    const last = runs[runs.length - 1]
    if (last && d === last[1] + 1) last[1] = d
    else runs.push([d, d])
  }
  return runs
}
