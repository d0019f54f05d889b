/**
 * Phone numbers as lists really carry them: full-width digits, spaces, dashes, dots, brackets,
 * +86 / 0086 / 86 prefixes. Chinese mobiles are 11 digits starting 1[3-9]; landlines keep their
 * area code (0771 for Nanning) followed by a 7- or 8-digit local number.
 */
export type PhoneKind = 'mobile' | 'landline'

export interface NormalisedPhone {
  /** Digits only: 13812345678, or 07715551234 for a landline. */
  phone: string
  kind: PhoneKind
}

export type PhoneProblem = 'empty' | 'notDigits' | 'badMobile' | 'badLandline' | 'tooShort'

const FULL_WIDTH_DIGIT = /[０-９]/g

export function toHalfWidthDigits(s: string): string {
  return s.replace(FULL_WIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

/**
 * Normalises one phone number. `defaultAreaCode` (e.g. '0771') is prefixed to a bare 7–8 digit
 * local number, which is how lists from one city often write landlines.
 */
export function normalisePhone(raw: string, defaultAreaCode?: string): NormalisedPhone | { problem: PhoneProblem } {
  let s = toHalfWidthDigits(raw.trim())
  if (!s) return { problem: 'empty' }
  // Excel writes long numbers as 1.38123E+10 only when mangled; refuse rather than guess.
  s = s.replace(/[\s\-–—.()（）\u00a0\u3000]/g, '').replace(/^＋/, '+')
  if (s.startsWith('+')) s = s.slice(1)
  if (!/^\d+$/.test(s)) return { problem: 'notDigits' }
  if (s.startsWith('0086')) s = s.slice(4)
  else if (s.startsWith('86') && s.length === 13) s = s.slice(2)
  if (s.length === 11 && s[0] === '1') {
    return /^1[3-9]\d{9}$/.test(s) ? { phone: s, kind: 'mobile' } : { problem: 'badMobile' }
  }
  if (s[0] === '0') {
    // area codes: 010, 02x (3 digits) or 0xxx (4 digits); local numbers 7 or 8 digits
    const three = /^0(10|2\d)\d{8}$/.test(s)
    const four = /^0[3-9]\d{2}\d{7,8}$/.test(s)
    return three || four ? { phone: s, kind: 'landline' } : { problem: 'badLandline' }
  }
  if ((s.length === 7 || s.length === 8) && defaultAreaCode && /^[2-9]/.test(s)) {
    return { phone: defaultAreaCode + s, kind: 'landline' }
  }
  return { problem: s.length < 7 ? 'tooShort' : 'badMobile' }
}

export function isPhoneProblem(r: NormalisedPhone | { problem: PhoneProblem }): r is { problem: PhoneProblem } {
  return 'problem' in r
}

/** 号码脱敏: 138****5678 for mobiles, 0771****234 for landlines. */
export function maskPhone(phone: string): string {
  if (phone.length === 11 && phone[0] === '1') return phone.slice(0, 3) + '****' + phone.slice(7)
  if (phone.length > 7) return phone.slice(0, phone.length - 7) + '****' + phone.slice(-3)
  return phone.slice(0, 1) + '****'
}

/** Masks a number in the organisation's style: the middle four digits (default) or all but the last four. */
export function maskWith(phone: string, style: 'middle4' | 'keepLast4'): string {
  if (style === 'keepLast4') return '*'.repeat(Math.max(0, phone.length - 4)) + phone.slice(-4)
  return maskPhone(phone)
}
