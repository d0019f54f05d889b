import type { Campaign, DialBlock, Locale, Settings } from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import { AppError } from '../errors'
import { callingWindow, localTime, type WindowRules } from '../../../shared/domain/calling-time'
import type { DeskRepo } from './repo'
import type { DncList } from '../dnc/list'
import type { DayCalendar } from '../../../shared/domain/day-calendar'

const MIN = 60_000
const DAY = 24 * 60 * MIN

export interface DialableLead {
  id: number
  phone: string
  campaign_id: number
  status: string
  attempts: number
  next_at: string | null
  lease_by: number | null
  lease_until: string | null
}

export type BlockCode = DialBlock['code']
export interface Block {
  code: BlockCode
  until: Date | null
  params?: Record<string, string | number>
}

/** Every day, all day: only the legal 09:00–21:00 that callingWindow always applies remains. */
const LEGAL_HOURS_ONLY: WindowRules = {
  windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }],
  holidays: [],
  extraWorkdays: []
}

/** Statuses a lead never leaves by itself: nothing more to dial. */
const FINAL = new Set(['accepted', 'refused', 'invalid_number', 'dnc', 'exhausted'])

/**
 * The calling rules, in one place: the legal 09:00–21:00, the campaign's windows and holidays,
 * the do-not-call list, maximum attempts, retry times, and the per-number caps across all
 * operators and campaigns. Each says why a lead cannot be dialed now, and from when it can.
 */
export class DialRules {
  /** Window verdicts per set of rules (a changed campaign brings a new object) and minute: boundaries fall on whole minutes. */
  private verdicts = new WeakMap<WindowRules, Map<string, Block | null>>()

  constructor(
    private repo: DeskRepo,
    private dnc: DncList,
    private settings: () => Settings,
    private calendar: DayCalendar
  ) {}

  /** The campaign's line now. */
  windowBlock(campaign: Campaign, now: Date): Block | null {
    return this.verdict(campaign.settings, now)
  }

  /** The legal hours alone: a customer's own callback, a number dialed by hand. */
  legalBlock(now: Date): Block | null {
    return this.verdict(LEGAL_HOURS_ONLY, now)
  }

  private verdict(rules: WindowRules, now: Date): Block | null {
    const tz = this.settings().timeZone
    let byMinute = this.verdicts.get(rules)
    if (!byMinute) {
      byMinute = new Map()
      this.verdicts.set(rules, byMinute)
    }
    const key = `${tz}|${Math.floor(now.getTime() / 60_000)}`
    if (byMinute.has(key)) return byMinute.get(key)!
    if (byMinute.size > 1000) byMinute.clear()
    const v = callingWindow(now, this.withCalendar(rules), tz)
    const block: Block | null = v.open
      ? null
      : {
          code: v.reason,
          until: v.opensAt,
          params: v.holiday ? { holiday: v.holiday.zh, holidayEn: v.holiday.en } : undefined
        }
    byMinute.set(key, block)
    return block
  }

  /** A campaign's rules with the statutory calendar when it follows it (one object per settings object). */
  private calendars = new WeakMap<WindowRules, WindowRules>()
  private withCalendar(rules: WindowRules & { statutoryCalendar?: boolean }): WindowRules {
    if (!rules.statutoryCalendar) return rules
    let r = this.calendars.get(rules)
    if (!r) {
      r = { ...rules, calendar: this.calendar }
      this.calendars.set(rules, r)
    }
    return r
  }

  /** On the do-not-call list for a call in this campaign (null: a dial outside any campaign, where only entries for all apply). */
  dncBlock(phone: string, campaignId: number | null, now: Date): Block | null {
    const d = this.dnc.blocking(phone, { campaignId, channel: 'call' }, now.toISOString())
    if (!d) return null
    return { code: 'dnc', until: d.expiresAt ? new Date(d.expiresAt) : null }
  }

  /** At most N dials to one number in 24 hours and M in any 5 minutes, whoever dials. */
  capBlocks(phone: string, now: Date): Block[] {
    const s = this.settings()
    const out: Block[] = []
    const day = this.repo.dialsSince(phone, new Date(now.getTime() - DAY).toISOString())
    if (day >= s.capPerNumber24h)
      out.push({
        code: 'cap24h',
        until: this.nthUntil(phone, now, DAY, day - s.capPerNumber24h + 1),
        params: { max: s.capPerNumber24h }
      })
    const five = this.repo.dialsSince(phone, new Date(now.getTime() - 5 * MIN).toISOString())
    if (five >= s.capPerNumber5min)
      out.push({
        code: 'cap5min',
        until: this.nthUntil(phone, now, 5 * MIN, five - s.capPerNumber5min + 1),
        params: { max: s.capPerNumber5min }
      })
    return out
  }

  /** When enough dials have left the window for one more: the k-th oldest in it, plus the window. */
  private nthUntil(phone: string, now: Date, span: number, k: number): Date {
    const at = this.repo.nthDialSince(phone, new Date(now.getTime() - span).toISOString(), k - 1)!
    return new Date(new Date(at).getTime() + span)
  }

  /** Every reason the lead cannot be dialed now by this operator (empty: dialable). */
  blocks(
    lead: DialableLead,
    campaign: Campaign,
    now: Date,
    opts: { forUserId?: number; callback?: boolean } = {}
  ): Block[] {
    const out: Block[] = []
    if (!campaign.active) out.push({ code: 'inactive', until: null })
    // A customer's own callback may fall outside the campaign's windows, never outside the legal hours.
    const w = opts.callback ? this.legalBlock(now) : this.windowBlock(campaign, now)
    if (w) out.push(w)
    const d = this.dncBlock(lead.phone, campaign.id, now)
    if (d) out.push(d)
    if (lead.attempts >= campaign.settings.maxAttempts)
      out.push({ code: 'maxAttempts', until: null, params: { max: campaign.settings.maxAttempts } })
    if (lead.next_at && lead.next_at > now.toISOString())
      out.push({ code: 'retryLater', until: new Date(lead.next_at) })
    if (
      lead.lease_by !== null &&
      lead.lease_by !== opts.forUserId &&
      lead.lease_until &&
      lead.lease_until > now.toISOString()
    )
      out.push({ code: 'leased', until: new Date(lead.lease_until) })
    out.push(...this.capBlocks(lead.phone, now))
    // A final status is explained by the block that made it so (do-not-call, attempts), when there is one.
    const explained =
      (lead.status === 'dnc' && out.some((b) => b.code === 'dnc')) ||
      (lead.status === 'exhausted' && out.some((b) => b.code === 'maxAttempts'))
    if (FINAL.has(lead.status) && !explained)
      out.unshift({ code: 'final', until: null, params: { status: lead.status } })
    // A lead parked until another block passes (next_at set from it) is explained by that block alone.
    const retry = out.find((b) => b.code === 'retryLater')
    if (retry && out.some((b) => b !== retry && (!b.until || b.until >= retry.until!)))
      out.splice(out.indexOf(retry), 1)
    return out
  }

  /** The earliest time every block will have passed (null: some never will). */
  static clearsAt(blocks: Block[]): Date | null {
    let at = 0
    for (const b of blocks) {
      if (!b.until) return null
      at = Math.max(at, b.until.getTime())
    }
    return new Date(at)
  }

  /** The i18n key and parameters that say a block in words. */
  message(b: Block, locale: Locale = 'zh-CN'): { key: string; params: Record<string, string | number> } {
    const tz = this.settings().timeZone
    const when = b.until ? formatLocal(b.until, tz) : ''
    if (b.code === 'holiday' && b.params?.holiday)
      // 国庆节，10月8日 10:00 起可拨
      return {
        key: 'desk.blocks.namedHoliday',
        params: {
          holiday: locale === 'en' ? b.params.holidayEn : b.params.holiday,
          until: b.until ? formatLocalLong(b.until, tz, locale) : ''
        }
      }
    const key = b.code === 'dnc' && b.until ? 'desk.blocks.dncUntil' : `desk.blocks.${b.code}`
    return { key, params: { ...b.params, until: when } }
  }

  /** Refuses a dial with the block's words. */
  refuse(b: Block): never {
    const m = this.message(b)
    throw new AppError('CONFLICT', m.key, m.params)
  }

  describe(b: Block, locale: Locale): DialBlock {
    const m = this.message(b, locale)
    return { code: b.code, text: translate(locale, m.key, m.params), until: b.until ? b.until.toISOString() : null }
  }
}

/** 10月8日 10:00 (Oct 8, 10:00) in the centre's time zone. */
export function formatLocalLong(at: Date, tz: string, locale: Locale): string {
  const l = localTime(at, tz)
  const [, mo, d] = l.day.split('-').map(Number)
  const hm = `${String(Math.floor(l.minutes / 60)).padStart(2, '0')}:${String(Math.floor(l.minutes % 60)).padStart(2, '0')}`
  if (locale === 'en')
    return `${new Date(Date.UTC(2000, mo - 1, d)).toLocaleString('en', { month: 'short', timeZone: 'UTC' })} ${d}, ${hm}`
  return `${mo}月${d}日 ${hm}`
}

/** MM-DD HH:mm in the centre's time zone. */
export function formatLocal(at: Date, tz: string): string {
  const l = localTime(at, tz)
  const h = Math.floor(l.minutes / 60)
  const m = Math.floor(l.minutes % 60)
  return `${l.day.slice(5)} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}
