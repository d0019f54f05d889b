import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max'
import { normalisePhone, isPhoneProblem, type PhoneKind } from '../../../shared/domain/phone'
import { carrierOf, knownAreaCode, regionOf, type PhoneRegion } from './geo'

/**
 * The number check core trusts: the shape first (shared/domain/phone.ts: full-width digits,
 * separators, +86/0086, the default area code for bare local numbers), then Google's
 * libphonenumber with its full metadata decides whether the number exists and what it is, and
 * its geocoding/carrier data says where it is from. A number that cannot answer (an unallocated
 * range, a landline of the wrong length for its area code) is refused with the reason in words;
 * so are 400/800 and other numbers that are not a person's line.
 */
export type PhoneRefusal =
  | 'empty'
  | 'notDigits'
  | 'tooShort'
  | 'tooLong'
  | 'notChinese'
  | 'notAllocated'
  | 'wrongLengthForArea'
  | 'unknownAreaCode'
  | 'notDialable'

export interface CheckedPhone {
  /** Digits: 13812345678, or 07715551234 for a landline. */
  phone: string
  kind: PhoneKind
  region: PhoneRegion | null
  carrier: string | null
}

export interface PhoneProblemInfo {
  problem: PhoneRefusal
  /** Words for the reason's message: the area code and its lengths, the number's type … */
  detail: Record<string, string>
  /** Where the number would be from, when its prefix says so (a wrong-length 0771 number: 广西南宁市). */
  region: PhoneRegion | null
}

export function isRefused(r: CheckedPhone | PhoneProblemInfo): r is PhoneProblemInfo {
  return 'problem' in r
}

const NOT_A_LINE: Partial<Record<NumberType & string, string>> = {
  TOLL_FREE: '800',
  SHARED_COST: '400',
  PREMIUM_RATE: 'premium',
  VOIP: 'voip',
  UAN: 'uan',
  PAGER: 'pager',
  PERSONAL_NUMBER: 'personal',
  VOICEMAIL: 'voicemail'
}

const refuse = (problem: PhoneRefusal, detail: Record<string, string> = {}, region: PhoneRegion | null = null) => ({
  problem,
  detail,
  region
})

/** The area code of a landline written with its 0: 010, 02x, or 0 + three digits. */
function areaCodeOf(phone: string): string {
  return /^0(10|2\d)/.test(phone) ? phone.slice(0, 3) : phone.slice(0, 4)
}

const lengthsOfArea = new Map<string, string>()
/** The local lengths libphonenumber accepts after an area code: "7", "8" or "7/8". */
function localLengths(area: string): string {
  let s = lengthsOfArea.get(area)
  if (s === undefined) {
    const ok = [7, 8].filter((n) =>
      ['2', '3', '5', '6', '8'].some((d) =>
        parsePhoneNumberFromString(area + d + '2345678'.slice(0, n - 1), 'CN')?.isValid()
      )
    )
    s = ok.join('/')
    lengthsOfArea.set(area, s)
  }
  return s
}

/**
 * Verdicts by prefix: whether a Chinese number is valid and of which type depends on its first
 * digits and its length only (libphonenumber's patterns for China look at most six digits deep),
 * so a million-row list needs the library once per seven-digit prefix, not once per row.
 */
const verdicts = new Map<string, CheckedPhone | PhoneProblemInfo>()
const MAX_VERDICTS = 200_000

function verdict(phone: string): CheckedPhone | PhoneProblemInfo {
  const key = `${phone.length}:${phone.slice(0, 7)}`
  let v = verdicts.get(key)
  if (v === undefined) {
    v = decide(phone)
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear()
    verdicts.set(key, v)
  }
  return v
}

function decide(phone: string): CheckedPhone | PhoneProblemInfo {
  const parsed = parsePhoneNumberFromString(phone, 'CN')
  const mobile = phone[0] === '1'
  const area = mobile ? '' : areaCodeOf(phone)
  const region = regionOf(phone)
  if (!parsed || !parsed.isValid()) {
    if (mobile) return refuse('notAllocated', { prefix: phone.slice(0, 3) })
    if (!knownAreaCode(area)) return refuse('unknownAreaCode', { area })
    return refuse('wrongLengthForArea', { area, lengths: localLengths(area), place: region?.city ?? '' }, region)
  }
  const type = parsed.getType()
  if (type === 'MOBILE' || (mobile && type === 'FIXED_LINE_OR_MOBILE'))
    return { phone, kind: 'mobile', region, carrier: carrierOf(phone) }
  if (type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE')
    return { phone, kind: 'landline', region, carrier: null }
  return refuse('notDialable', { type: (type && NOT_A_LINE[type]) || 'other' })
}

/** Checks one number as a list or a person wrote it; `defaultAreaCode` (0771) goes before bare local numbers. */
export function checkPhone(raw: string, defaultAreaCode?: string): CheckedPhone | PhoneProblemInfo {
  const trimmed = raw.trim()
  // A number written with another country's code (+1 …, 00852 …) is not a lead for a Chinese centre.
  const intl = /^(?:\+|＋|00)\s*(\d{1,3})/.exec(trimmed.replace(/[\s\-–—.()（）]/g, ''))
  if (intl && !intl[1].startsWith('86')) return refuse('notChinese')
  const shaped = normalisePhone(raw, defaultAreaCode)
  if (isPhoneProblem(shaped)) {
    if (shaped.problem === 'empty' || shaped.problem === 'notDigits' || shaped.problem === 'tooShort')
      return refuse(shaped.problem)
    return shapeProblem(raw)
  }
  const v = verdict(shaped.phone)
  return isRefused(v) ? v : { ...v, phone: shaped.phone }
}

/** A number the shape step refused: say why in libphonenumber's terms where it can. */
function shapeProblem(raw: string): PhoneProblemInfo {
  const digits = raw.replace(/\D/g, '').replace(/^(0086|86(?=\d{11}$))/, '')
  if (digits.startsWith('0') && digits.length > 4) {
    const area = areaCodeOf(digits)
    if (!knownAreaCode(area)) return refuse('unknownAreaCode', { area })
    const region = regionOf(digits)
    return refuse('wrongLengthForArea', { area, lengths: localLengths(area), place: region?.city ?? '' }, region)
  }
  if (digits.startsWith('1') && digits.length === 11) return refuse('notAllocated', { prefix: digits.slice(0, 3) })
  if (/^[48]00/.test(digits) && digits.length === 10) return refuse('notDialable', { type: digits.slice(0, 3) })
  if (digits.length > 12) return refuse('tooLong')
  return refuse(digits.length < 11 ? 'tooShort' : 'tooLong')
}
