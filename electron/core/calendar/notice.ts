/**
 * The State Council's yearly notice on holidays (国务院办公厅关于 XXXX 年部分节假日安排的通知), as an
 * administrator copies it from gov.cn, read into days: each numbered line names a holiday, the days
 * off (放假) and the weekends worked in lieu (上班). For example:
 *
 *   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
 *
 * A line may also be written plainly, one day or range per line: 2027-10-01 至 2027-10-07 国庆节 放假 /
 * 2027-09-26 上班.
 */
export interface NoticeDay {
  day: string
  kind: 'holiday' | 'workday'
  /** The holiday's name (国庆节); a worked weekend carries the holiday it makes up for. */
  name: string
}

export type NoticeResult =
  | { ok: true; days: NoticeDay[] }
  | {
      ok: false
      /** importReasons-like key under errors.notice.* */
      problem: 'empty' | 'unreadableLine' | 'badDate' | 'wrongYear' | 'notWeekend' | 'both' | 'noHolidays'
      line: number
      text: string
    }

const NUMERAL = /^\s*[一二三四五六七八九十]+\s*[、.．]\s*/
const pad = (n: number) => String(n).padStart(2, '0')

function ymd(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day))
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  return `${year}-${pad(month)}-${pad(day)}`
}

function* daysFrom(from: string, to: string): Generator<string> {
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    yield new Date(t).toISOString().slice(0, 10)
}

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay()

/** Reads a notice for `year`. Every day it names must be in that year, and every worked day a weekend. */
export function parseHolidayNotice(text: string, year: number): NoticeResult {
  const days = new Map<string, NoticeDay>()
  const lines = text.replace(/\r/g, '').split('\n')
  let any = false
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim()
    if (!raw) continue
    const fail = (problem: Exclude<NoticeResult, { ok: true }>['problem']): NoticeResult => ({
      ok: false,
      problem,
      line: i + 1,
      text: raw.slice(0, 80)
    })
    // full-width digits and the notes in brackets (weekday, lunar date) say nothing the dates do not
    const line = raw
      .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/[（(][^）)]*[）)]/g, '')
    const add = (day: string | null, kind: NoticeDay['kind'], name: string): NoticeResult | null => {
      if (!day) return fail('badDate')
      if (Number(day.slice(0, 4)) !== year) return fail('wrongYear')
      if (kind === 'workday' && weekday(day) !== 0 && weekday(day) !== 6) return fail('notWeekend')
      const had = days.get(day)
      if (had && had.kind !== kind) return fail('both')
      days.set(day, { day, kind, name })
      return null
    }

    const plain = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:\s*(?:至|到|-|~|—)\s*(\d{4})-(\d{1,2})-(\d{1,2}))?\s*(.*)$/.exec(line)
    if (plain) {
      const from = ymd(+plain[1], +plain[2], +plain[3])
      const to = plain[4] ? ymd(+plain[4], +plain[5], +plain[6]) : from
      const rest = plain[7].trim()
      const kind = /上班|补班|工作日/.test(rest) ? 'workday' : 'holiday'
      const name =
        rest.replace(/放假|调休|上班|补班|工作日|[，,。\s]/g, '') || (kind === 'holiday' ? '节假日' : '调休上班')
      if (!from || !to || to < from) return fail('badDate')
      for (const d of daysFrom(from, to)) {
        const bad = add(d, kind, name)
        if (bad) return bad
      }
      if (kind === 'holiday') any = true
      continue
    }

    if (!NUMERAL.test(line)) {
      // the title, the greeting, the closing words of the notice
      if (/月\d+日.*(放假|上班)/.test(line)) return fail('unreadableLine')
      continue
    }
    const body = line.replace(NUMERAL, '')
    const colon = body.search(/[：:]/)
    if (colon < 1) return fail('unreadableLine')
    // 国庆节、中秋节 share their days: the first name is kept for them
    const name = body
      .slice(0, colon)
      .split(/[、，,]/)[0]
      .trim()
    const rest = body.slice(colon + 1)
    const off = /(\d{1,2})月(\d{1,2})日(?:\s*至\s*(?:(\d{1,2})月)?(\d{1,2})日)?[^。；;]*?放假/.exec(rest)
    if (!off) return fail('unreadableLine')
    const from = ymd(year, +off[1], +off[2])
    const to = off[4] ? ymd(year, off[3] ? +off[3] : +off[1], +off[4]) : from
    if (!from || !to || to < from) return fail('badDate')
    for (const d of daysFrom(from, to)) {
      const bad = add(d, 'holiday', name)
      if (bad) return bad
    }
    any = true
    // the sentences that end in 上班 list the worked days
    for (const sentence of rest.slice(off.index + off[0].length).split(/[。；;]/)) {
      if (!/上班/.test(sentence)) continue
      for (const m of sentence.matchAll(/(\d{1,2})月(\d{1,2})日/g)) {
        const bad = add(ymd(year, +m[1], +m[2]), 'workday', name)
        if (bad) return bad
      }
    }
  }
  if (!days.size) return { ok: false, problem: 'empty', line: 0, text: '' }
  if (!any) return { ok: false, problem: 'noHolidays', line: 0, text: '' }
  return { ok: true, days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)) }
}
