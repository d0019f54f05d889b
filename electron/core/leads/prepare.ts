import { createDistrictMatcher, type DistrictLike } from '../../../shared/domain/address'
import { ageOn, parseAge } from '../../../shared/domain/age'
import { parseIdCard } from '../../../shared/domain/id-card'
import type { LeadField } from '../../../shared/domain/lead-columns'
import { checkPhone, isRefused } from '../phone/numbers'
import { outsideArea, type PhoneAreaRules } from '../phone/area'

/**
 * Turning rows of text into leads, apart from the database: normalise, dedupe within the file,
 * check the do-not-call list, find the district. Runs on its own thread for big files
 * (parse-worker.ts) while the writer inserts, or in line for small ones; the output is the same.
 */
export interface PrepareSetup {
  headers: string[]
  mapping: (LeadField | null)[]
  defaultAreaCode?: string
  districts: DistrictLike[]
  /** Active do-not-call entries: phone → reason. */
  dnc: [string, string][]
  /** YYYY-MM-DD: ID numbers with a later birth date are wrong. */
  today: string
  /** The centre's area and what the campaign does with numbers from outside it. */
  area?: PhoneAreaRules
}

/**
 * Records are laid flat, STRIDE values each, so a chunk crosses threads as one array of strings.
 * Lead:   [0, rowNo, phone, kind, name, gender, birthDate, idNo, address, district, employer,
 *          occupation, note, extra, warning, warningDetail, raw, province, city, carrier, statedAge]
 * Reject: [1, rowNo, outcome, reason, detail, raw, …padding]
 */
export const STRIDE = 21
export const LEAD = 0
export const REJECT = 1

function parseGender(s: string): 'M' | 'F' | null {
  const t = s.trim().toLowerCase()
  if (['男', 'm', 'male', '先生', '1'].includes(t)) return 'M'
  if (['女', 'f', 'female', '女士', '2', '0'].includes(t)) return 'F'
  return null
}

/** Spreadsheet day numbers count from 1899-12-30. */
export function excelSerialToDate(serial: number): string {
  return new Date(Date.UTC(1899, 11, 30) + Math.round(serial) * 86_400_000).toISOString().slice(0, 10)
}

/**
 * 1985-03-15, 1985/3/15, 1985.3.15, 19850315, 1985年3月15日 → 1985-03-15; and a bare day number
 * (28491), which is what a spreadsheet date becomes when its cell lost the date format.
 */
export function parseDate(s: string): string | null {
  const t = s.trim()
  if (/^\d{5}$/.test(t) && Number(t) < 73050) return excelSerialToDate(Number(t))
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || y < 1900) return null
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

export function createPreparer(s: PrepareSetup): (rowNo: number, cells: string[], out: unknown[]) => void {
  const col = (f: LeadField) => s.mapping.indexOf(f)
  const ci = {
    name: col('name'),
    phone: col('phone'),
    gender: col('gender'),
    birthDate: col('birthDate'),
    age: col('age'),
    idNo: col('idNo'),
    address: col('address'),
    employer: col('employer'),
    occupation: col('occupation'),
    note: col('note')
  }
  const customCols = s.mapping.map((f, i) => (f === null && s.headers[i] ? i : -1)).filter((i) => i >= 0)
  const matcher = createDistrictMatcher(s.districts, { preferCity: s.area?.city })
  const dnc = new Map(s.dnc)
  const firstRowOf = new Map<string, number>()
  const get = (cells: string[], i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '')
  const reject = (
    out: unknown[],
    rowNo: number,
    outcome: string,
    reason: string,
    detail: string | null,
    cells: string[]
  ) => {
    out.push(
      REJECT,
      rowNo,
      outcome,
      reason,
      detail,
      JSON.stringify(cells),
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null
    )
  }

  return (rowNo, cells, out) => {
    const p = checkPhone(get(cells, ci.phone), s.defaultAreaCode)
    if (isRefused(p)) return reject(out, rowNo, 'invalid', `phone.${p.problem}`, get(cells, ci.phone), cells)
    const outside = s.area ? outsideArea(p.region, s.area) : null
    if (outside && s.area?.outside === 'refuse') return reject(out, rowNo, 'invalid', 'outsideArea', outside, cells)
    const first = firstRowOf.get(p.phone)
    if (first !== undefined) return reject(out, rowNo, 'duplicate_in_file', 'duplicateInFile', String(first), cells)
    firstRowOf.set(p.phone, rowNo)
    const dncReason = dnc.get(p.phone)
    if (dncReason !== undefined) return reject(out, rowNo, 'dnc', 'onDoNotCallList', dncReason, cells)

    let gender = ci.gender >= 0 ? parseGender(get(cells, ci.gender)) : null
    let birthDate = ci.birthDate >= 0 ? parseDate(get(cells, ci.birthDate)) : null
    let idNo: string | null = null
    let warning: string | null = null
    const rawId = get(cells, ci.idNo)
    if (rawId) {
      const id = parseIdCard(rawId, s.today)
      if ('problem' in id) warning = `idNo.${id.problem}`
      else {
        idNo = id.idNo
        gender ??= id.gender
        birthDate ??= id.birthDate
      }
    }
    // An age is kept only when there is no birth date; one that disagrees with it, or is no age, is flagged.
    let statedAge: number | null = null
    let ageDetail: string | null = null
    const rawAge = get(cells, ci.age)
    if (rawAge) {
      const age = parseAge(rawAge)
      if (age === null) ageDetail = rawAge
      else if (!birthDate) statedAge = age
      else if (Math.abs(ageOn(birthDate, s.today) - age) > 1) ageDetail = rawAge
      if (ageDetail !== null && !warning) warning = age === null ? 'age.invalid' : 'age.mismatch'
    }
    if (outside && s.area?.outside === 'flag' && !warning) warning = 'outsideArea'
    const address = get(cells, ci.address) || null
    let extra: string | null = null
    if (customCols.length) {
      const o: Record<string, string> = {}
      let any = false
      for (const i of customCols) {
        const v = cells[i]?.trim()
        if (v) {
          o[s.headers[i]] = v
          any = true
        }
      }
      if (any) extra = JSON.stringify(o)
    }
    out.push(
      LEAD,
      rowNo,
      p.phone,
      p.kind,
      get(cells, ci.name) || null,
      gender,
      birthDate,
      idNo,
      address,
      address ? matcher.match(address) : null,
      get(cells, ci.employer) || null,
      get(cells, ci.occupation) || null,
      get(cells, ci.note) || null,
      extra,
      warning,
      warning === 'outsideArea' ? outside : warning?.startsWith('age.') ? ageDetail : warning ? rawId : null,
      // kept for the report: a lead may yet turn out to be in the pool already
      JSON.stringify(cells),
      p.region?.province ?? '',
      p.region?.city ?? '',
      p.carrier ?? '',
      statedAge
    )
  }
}
