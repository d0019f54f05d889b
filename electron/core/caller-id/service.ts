import { readFileSync } from 'node:fs'
import type { CallerNumber, Locale, PickReason, Settings, User } from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import { atLocal, localTime } from '../../../shared/domain/calling-time'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { readTable } from '../leads/read-table'
import { checkPhone, isRefused } from '../phone/numbers'
import { regionOf, type PhoneRegion } from '../phone/geo'
import { CallerIdRepo, type CallerNumberPut, type CallerNumberRow, type NumberHealthRow } from './repo'

/** The columns of a caller-number file, by their Chinese or English heading. */
const COLUMNS = {
  number: ['号码', '外显号码', '电话', 'number', 'phone'],
  carrier: ['运营商', 'carrier'],
  line: ['线路', '中继', 'line', 'trunk'],
  campaign: ['活动', 'campaign'],
  status: ['状态', 'status'],
  cap: ['每日上限', '日上限', 'cap', 'daily cap']
} as const

const ACTIVE = new Set(['启用', '在用', '正常', 'active', 'on', '1', ''])
/** 标记: reported as marked (骚扰/推销) by the phone apps — out of use. */
const SUSPENDED = new Set(['停用', '暂停', '标记', '已标记', 'suspended', 'marked', 'off', '0'])

/** A refused line of a caller-number file: its row and the reason in the user's words (an i18n key and its words). */
export interface NumberFileProblem {
  row: number
  key: string
  params: Record<string, string | number>
}

export interface Pick {
  numberId: number | null
  number: string | null
  e164: string | null
  reason: PickReason
}

const e164 = (digits: string) => `+86${digits.startsWith('0') ? digits.slice(1) : digits}`

/**
 * 外显号码池: the numbers the customer sees. For each dial core picks one — the number this customer
 * was already shown today (never two numbers to one customer in a day), else one of the customer's
 * city, else of their province, else any number of the campaign — among the numbers in use for that
 * campaign and under their daily cap, the least used today first (spread evenly). Rules in
 * docs/domain.md.
 */
export class CallerIds {
  readonly repo: CallerIdRepo
  /**
   * Whether any number is in use, asked at most once a minute (a command line's import shows within
   * it; this process's own changes at once): a centre without a pool pays nothing on each dial.
   */
  private inUse: { any: boolean; at: number } | null = null

  constructor(
    private deps: CoreDeps,
    private settings: () => Settings
  ) {
    this.repo = new CallerIdRepo(deps.db)
  }

  private today(now = this.deps.clock.now()): { day: string; start: string } {
    const tz = this.settings().timeZone
    const day = localTime(now, tz).day
    return { day, start: atLocal(day, 0, tz).toISOString() }
  }

  /** The choice for a call to @phone in @campaignId now, and why; nothing is used up. */
  pick(phone: string, campaignId: number, region: PhoneRegion | null = regionOf(phone)): Pick {
    if (!this.anyInUse()) return { numberId: null, number: null, e164: null, reason: 'none' }
    const { day, start } = this.today()
    const eligible = this.repo.eligible(campaignId, day)
    if (!eligible.length) return { numberId: null, number: null, e164: null, reason: 'none' }
    const chosen = (n: CallerNumberRow, reason: PickReason): Pick => ({
      numberId: n.id,
      number: n.number,
      e164: n.e164,
      reason
    })
    const before = this.repo.shownToCustomerSince(phone, start)
    if (before) {
      const same = eligible.find((n) => n.number === before)
      // the number they saw today is resting or full: no second number to the same customer today
      return same
        ? chosen(same, 'sameCustomerToday')
        : { numberId: null, number: null, e164: null, reason: 'customerRests' }
    }
    const least = (ns: CallerNumberRow[]) =>
      ns.reduce((a, b) => (b.calls_today < a.calls_today ? b : a), ns[0]) as CallerNumberRow | undefined
    if (region) {
      const city = least(eligible.filter((n) => n.province === region.province && n.city === region.city))
      if (city) return chosen(city, 'sameCity')
      const province = least(eligible.filter((n) => n.province === region.province))
      if (province) return chosen(province, 'sameProvince')
    }
    return chosen(least(eligible)!, 'any')
  }

  private anyInUse(): boolean {
    if (!this.inUse || Date.now() - this.inUse.at > 60_000) this.inUse = { any: this.repo.anyActive(), at: Date.now() }
    return this.inUse.any
  }

  /** The pick for a real dial, used up (counted against its cap today); in the caller's transaction. */
  take(phone: string, campaignId: number, region: PhoneRegion | null = regionOf(phone)): Pick {
    const p = this.pick(phone, campaignId, region)
    if (p.numberId !== null) this.repo.used(p.numberId, this.today().day)
    return p
  }

  /** The pool with each number's figures of today. */
  list(): CallerNumber[] {
    const { day, start } = this.today()
    const health = new Map(this.repo.health(start, this.deps.clock.now().toISOString()).map((h) => [h.shown_number, h]))
    return this.repo.list(day).map((r) => toCallerNumber(r, health.get(r.number)))
  }

  /** One number's health per centre's day, the last @days days (today last), as the pool page shows it. */
  history(id: number, days: number): ({ day: string } & ReturnType<typeof healthFigures>)[] {
    const n = this.repo.list(this.today().day).find((r) => r.id === id)
    if (!n) throw new AppError('NOT_FOUND')
    const tz = this.settings().timeZone
    const today = this.today().day
    const out: ({ day: string } & ReturnType<typeof healthFigures>)[] = []
    for (let i = days - 1; i >= 0; i--) {
      // the centre's day i days before today, and its bounds
      const noon = new Date(atLocal(today, 12 * 60, tz).getTime() - i * 24 * 3_600_000)
      const day = localTime(noon, tz).day
      const from = atLocal(day, 0, tz).toISOString()
      const to = new Date(atLocal(day, 0, tz).getTime() + 24 * 3_600_000).toISOString()
      out.push({ day, ...healthFigures(this.repo.health(from, to).find((h) => h.shown_number === n.number)) })
    }
    return out
  }

  /** The wallboard's view of the pool today: numbers in use, suspended, at their cap; calls shown and answered. */
  poolHealth(): { active: number; suspended: number; atCap: number; calls: number; answered: number } {
    const all = this.list()
    const active = all.filter((n) => n.status === 'active')
    return {
      active: active.length,
      suspended: all.length - active.length,
      atCap: active.filter((n) => n.callsToday >= n.dailyCap).length,
      calls: all.reduce((sum, n) => sum + n.today.calls, 0),
      answered: all.reduce((sum, n) => sum + n.today.answered, 0)
    }
  }

  /**
   * Number health: a number whose answer rate today falls below `callerId.minAnswerRate` once it has
   * made `callerId.minCallsForHealth` calls is taken out of use (carriers' and the phone apps'
   * marking shows as calls nobody answers), written to the audit log and announced to the
   * administrators. The numbers taken out.
   */
  checkHealth(source = 'timer'): string[] {
    const s = this.settings().callerId
    const { start } = this.today()
    const now = this.deps.clock.now().toISOString()
    const active = new Map(
      this.repo
        .list(this.today().day)
        .filter((n) => n.status === 'active')
        .map((n) => [n.number, n])
    )
    const out: string[] = []
    for (const h of this.repo.health(start, now)) {
      const n = active.get(h.shown_number)
      if (!n || h.calls < s.minCallsForHealth || h.answered / h.calls >= s.minAnswerRate) continue
      const reason = translate('zh-CN', 'numbers.lowAnswerRate', {
        rate: Math.round((h.answered / h.calls) * 100),
        min: Math.round(s.minAnswerRate * 100),
        calls: h.calls
      })
      this.setStatus(n.id, 'suspended', reason, SYSTEM, source)
      this.deps.events.emit('numbers.suspended', { number: n.e164, reason })
      out.push(n.number)
    }
    return out
  }

  /**
   * A file of numbers (CSV/XLSX with 号码, 运营商, 线路, 活动, 状态 — or their English names), all or
   * nothing: every line checked first, and a file with a bad line changes nothing and says which.
   */
  async importFile(
    file: string,
    user: User,
    source: string,
    locale: Locale
  ): Promise<{ rows: number; added: number; updated: number; mismatches: number }> {
    const table = await readTable(readFileSync(file))
    const col = (k: keyof typeof COLUMNS) =>
      table.headers.findIndex(
        (h) =>
          (COLUMNS[k] as readonly string[]).includes(h.trim().toLowerCase()) ||
          (COLUMNS[k] as readonly string[]).includes(h.trim())
      )
    const at = col('number')
    if (at < 0)
      throw new AppError('INVALID_INPUT', 'errors.callerIdNoNumberColumn', {
        headers: table.headers.filter(Boolean).slice(0, 8).join('、')
      })
    const [carrierCol, lineCol, campaignCol, statusCol, capCol] = (
      ['carrier', 'line', 'campaign', 'status', 'cap'] as const
    ).map(col)
    const now = this.deps.clock.now().toISOString()
    const cap = this.settings().callerId.dailyCap
    const problems: NumberFileProblem[] = []
    const puts: CallerNumberPut[] = []
    let mismatches = 0
    const seen = new Set<string>()
    for (const r of table.rows) {
      const cell = (i: number) => (i >= 0 ? (r.cells[i] ?? '').trim() : '')
      const raw = cell(at)
      if (!raw && r.cells.every((c) => !c.trim())) continue
      const why = callerIdRefusal(raw, this.settings().areaCode)
      if ('key' in why) {
        problems.push({ row: r.rowNo, ...why })
        continue
      }
      if (seen.has(why.phone)) {
        problems.push({ row: r.rowNo, key: 'errors.callerIdDuplicate', params: { number: raw } })
        continue
      }
      seen.add(why.phone)
      const campaigns: number[] = []
      for (const ref of cell(campaignCol)
        .split(/[,，;；、\s]+/)
        .filter(Boolean)) {
        const id = this.repo.campaignId(ref)
        if (id === undefined) problems.push({ row: r.rowNo, key: 'errors.callerIdCampaign', params: { ref } })
        else campaigns.push(id)
      }
      const status = cell(statusCol).toLowerCase()
      if (!ACTIVE.has(status) && !SUSPENDED.has(status)) {
        problems.push({ row: r.rowNo, key: 'errors.callerIdStatus', params: { status: cell(statusCol) } })
        continue
      }
      const capText = cell(capCol)
      const dailyCap = capText ? Number(capText) : cap
      if (!Number.isInteger(dailyCap) || dailyCap < 1 || dailyCap > 10_000) {
        problems.push({ row: r.rowNo, key: 'errors.callerIdCap', params: { cap: capText } })
        continue
      }
      const carrier = cell(carrierCol)
      if (carrier && why.carrier && !why.carrier.includes(carrier.replace(/^中国/, ''))) mismatches++
      puts.push({
        number: why.phone,
        e164: e164(why.phone),
        carrier,
        dataCarrier: why.carrier,
        province: why.region?.province ?? null,
        city: why.region?.city ?? null,
        line: cell(lineCol),
        campaigns,
        status: SUSPENDED.has(status) ? 'suspended' : 'active',
        dailyCap,
        at: now
      })
    }
    if (problems.length)
      throw new AppError(
        'INVALID_INPUT',
        'errors.callerIdFile',
        {
          count: problems.length,
          row: problems[0].row,
          reason: translate(locale, problems[0].key, problems[0].params)
        },
        problems.slice(0, 50).map((p) => ({ path: `row ${p.row}`, message: translate(locale, p.key, p.params) }))
      )
    if (!puts.length) throw new AppError('INVALID_INPUT', 'errors.emptyFile')
    const before = new Set(this.repo.list(this.today().day).map((n) => n.number))
    this.repo.transaction(() => {
      for (const p of puts) this.repo.put(p)
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'numbers.import',
        entity: 'callerId',
        details: { rows: puts.length },
        source
      })
    })
    this.inUse = null
    const added = puts.filter((p) => !before.has(p.number)).length
    return { rows: puts.length, added, updated: puts.length - added, mismatches }
  }

  setStatus(id: number, status: 'active' | 'suspended', reason: string | null, user: User, source: string): void {
    this.repo.transaction(() => {
      if (!this.repo.setStatus(id, status, reason, this.deps.clock.now().toISOString())) throw new AppError('NOT_FOUND')
      this.inUse = null
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: status === 'active' ? 'numbers.resume' : 'numbers.suspend',
        entity: 'callerId',
        entityId: id,
        details: { reason },
        source
      })
    })
  }
}

/** A number as a caller ID, or why it cannot be one (short service numbers, 400/800, not a line). */
export function callerIdRefusal(
  raw: string,
  areaCode: string
):
  | { phone: string; region: PhoneRegion | null; carrier: string | null }
  | { key: string; params: Record<string, string> } {
  const bare = raw.replace(/[\s\-–—().（）]/g, '')
  const digits = bare.replace(/^(\+86|0086)/, '')
  if (/^95\d{3,6}$/.test(digits) || /^[48]00\d{7}$/.test(digits) || /^1\d{4}$/.test(digits))
    return { key: 'errors.callerIdServiceNumber', params: { number: raw } }
  // +86 771 5123456: the international form of a landline drops the trunk 0, which the check wants back
  const international = digits !== bare
  const c = checkPhone(international && !digits.startsWith('1') ? `0${digits}` : raw, areaCode)
  if (isRefused(c)) return { key: `importReasons.phone.${c.problem}`, params: { ...c.detail, number: raw } }
  return { phone: c.phone, region: c.region, carrier: c.carrier }
}

const SYSTEM = { id: 0, username: 'system' } as User

export function toCallerNumber(r: CallerNumberRow, h?: NumberHealthRow): CallerNumber {
  return {
    id: r.id,
    number: r.number,
    e164: r.e164,
    carrier: r.carrier,
    dataCarrier: r.data_carrier,
    region: r.province ? `${r.province}${r.city && r.city !== `${r.province}市` ? r.city : ''}` : '',
    province: r.province,
    city: r.city,
    line: r.line,
    campaigns: JSON.parse(r.campaigns) as number[],
    status: r.status,
    statusReason: r.status_reason,
    dailyCap: r.daily_cap,
    callsToday: r.calls_today,
    today: healthFigures(h)
  }
}

/** A number's figures over a period: calls shown, answered, answer rate, mean talk, refusals and complaints on them. */
export function healthFigures(h: NumberHealthRow | undefined) {
  return {
    calls: h?.calls ?? 0,
    answered: h?.answered ?? 0,
    answerRate: h && h.calls ? Math.round((h.answered / h.calls) * 1000) / 1000 : null,
    avgTalkSec: h && h.answered ? Math.round(h.talk_sec / h.answered) : null,
    refusals: h?.refusals ?? 0,
    complaints: h?.complaints ?? 0
  }
}
