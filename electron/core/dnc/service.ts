import { createWriteStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import type { DncEntry, DncSource, Settings, User } from '../../../shared/contract'
import { isPhoneProblem, normalisePhone } from '../../../shared/domain/phone'
import { suggestMapping } from '../../../shared/domain/lead-columns'
import { atLocal, localTime } from '../../../shared/domain/calling-time'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { readTable } from '../leads/read-table'
import { csvCell } from '../spreadsheet'
import { DncList, type DncContact, type DncPut, type DncWhere } from './list'

export interface DncTerms {
  source: DncSource
  reason: string
  where: DncWhere
  /** YYYY-MM-DD in the centre's zone; today when absent. */
  effectiveOn?: string
  /** Days from the effective date; null for good; undefined: the source's default. */
  days?: number | null
}

const DAY = 24 * 3600_000

/**
 * The do-not-call list's rules, stated once (docs/domain.md): a refusal stops the number for
 * `dnc.refusalDays` (180 by default), a customer's request, a complaint, an external list and a
 * regulator's notice for good unless a length is given; an entry may start on a later day; the
 * leads it stops are parked as soon as it is in force; taking one off needs a reason and leaves it
 * on record. Used by the desk, the imports, the complaints, the hub's methods and the command line.
 */
export class DncService {
  readonly list: DncList

  constructor(
    private deps: CoreDeps,
    private settings: () => Settings
  ) {
    this.list = new DncList(deps.db, deps.keyedHash)
  }

  /** Where an entry applies, checked: a campaign that exists, an insurer named. */
  where(scope: DncWhere['scope'], ref: string, channel: DncWhere['channel']): DncWhere {
    if (scope === 'all') return { scope, ref: '', channel }
    if (!ref) throw new AppError('INVALID_INPUT', 'errors.dncScopeRef')
    if (scope === 'campaign') {
      const found = this.list.campaignId(ref)
      if (found === undefined) throw new AppError('NOT_FOUND', 'errors.campaignNotFound', { ref })
      return { scope, ref: String(found), channel }
    }
    return { scope, ref, channel }
  }

  private dates(t: DncTerms, now: Date): { effectiveAt: string; expiresAt: string | null } {
    const tz = this.settings().timeZone
    const today = localTime(now, tz).day
    const start = t.effectiveOn && t.effectiveOn > today ? atLocal(t.effectiveOn, 0, tz) : now
    const days = t.days === undefined ? (t.source === 'refusal' ? this.settings().dnc.refusalDays : null) : t.days
    return {
      effectiveAt: start.toISOString(),
      expiresAt: days === null ? null : new Date(start.getTime() + days * DAY).toISOString()
    }
  }

  private entry(
    phone: string,
    t: DncTerms,
    userId: number | null,
    now: Date,
    extra: Pick<DncPut, 'complaintId' | 'listName'>,
    dates = this.dates(t, now)
  ): DncPut {
    return {
      phone,
      source: t.source,
      reason: t.reason,
      where: t.where,
      ...dates,
      userId,
      at: now.toISOString(),
      ...extra
    }
  }

  /** One number on the list; its leads stopped now are parked. The entry's expiry (null: for good). */
  put(phone: string, t: DncTerms, userId: number | null, extra: { complaintId?: number } = {}): string | null {
    const now = this.deps.clock.now()
    const expiresAt = this.list.put(this.entry(phone, t, userId, now, { complaintId: extra.complaintId ?? null }))
    this.list.blockLeads(phone, now.toISOString())
    return expiresAt
  }

  /** A number as typed, normalised, or a clear error in the user's words. */
  phone(raw: string): string {
    const p = normalisePhone(raw, this.settings().areaCode)
    if (isPhoneProblem(p)) throw new AppError('INVALID_INPUT', `importReasons.phone.${p.problem}`)
    return p.phone
  }

  /**
   * A whole list (CSV/XLSX: a column headed 电话/手机/phone, or bare numbers in the first column) in
   * one transaction: all its valid numbers or nothing. Invalid lines are counted, not fatal.
   */
  async importFile(
    file: string,
    listName: string,
    t: DncTerms,
    userId: number | null,
    read: { encoding?: string; sheet?: string } = {}
  ): Promise<{ rows: number; added: number; invalid: number; leadsStopped: number }> {
    const table = await readTable(readFileSync(file), read)
    let col = suggestMapping(table.headers).indexOf('phone')
    const rows = table.rows.map((r) => r.cells)
    const areaCode = this.settings().areaCode
    if (col < 0 && table.headers.length >= 1 && !isPhoneProblem(normalisePhone(table.headers[0], areaCode))) {
      col = 0
      rows.unshift(table.headers)
    }
    if (col < 0)
      throw new AppError('INVALID_INPUT', 'errors.noPhoneColumn', {
        headers: table.headers.filter(Boolean).slice(0, 8).join('、')
      })
    const now = this.deps.clock.now()
    const iso = now.toISOString()
    const dates = this.dates(t, now) // once for the whole list
    let added = 0
    let invalid = 0
    let leadsStopped = 0
    const name = `${listName} ${iso}`
    this.deps.db
      .transaction(() => {
        for (const cells of rows) {
          const p = normalisePhone(cells[col] ?? '', areaCode)
          if (isPhoneProblem(p)) {
            invalid++
            continue
          }
          this.list.putListed(this.entry(p.phone, t, userId, now, { listName: name }, dates))
          added++
        }
        leadsStopped = this.list.blockLeadsOfList(name, iso)
      })
      .immediate()
    return { rows: rows.length, added, invalid, leadsStopped }
  }

  /** May this number be contacted now, and if not, by which entry? */
  check(phone: string, contact: DncContact): DncEntry | null {
    return this.list.blocking(phone, contact, this.deps.clock.now().toISOString()) ?? null
  }

  remove(phone: string, where: DncWhere | null, reason: string, user: User): number {
    const n = this.list.remove(phone, where, reason, user.id > 0 ? user.id : null, this.deps.clock.now().toISOString())
    if (n === 0) throw new AppError('NOT_FOUND')
    return n
  }

  /** The live list as CSV for another centre; the number of entries. */
  async exportCsv(file: string): Promise<number> {
    const out = createWriteStream(file)
    const line = (cells: (string | null)[]) => `${cells.map((c) => csvCell(c ?? '')).join(',')}\r\n`
    let rows = 0
    const write = async (s: string) => {
      if (!out.write(s)) await once(out, 'drain')
    }
    await write(
      '\uFEFF' + line(['phone', 'source', 'scope', 'scope_ref', 'channel', 'reason', 'effective_at', 'expires_at'])
    )
    for (const e of this.list.exportAll()) {
      await write(line([e.phone, e.source, e.scope, e.scopeRef, e.channel, e.reason, e.effectiveAt, e.expiresAt]))
      rows++
    }
    out.end()
    await once(out, 'close')
    return rows
  }

  exportFileName(dir: string): { file: string; name: string } {
    const name = `dnc-${localTime(this.deps.clock.now(), this.settings().timeZone).day}.csv`
    return { file: join(dir, `${process.pid}-${Date.now()}-${name}`), name }
  }
}
