/**
 * Resident ID card numbers (身份证号, GB 11643): 18 characters, the last a check digit 0-9 or X;
 * digits 7–14 are the birth date, digit 17 is odd for men and even for women.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export interface IdCardInfo {
  idNo: string
  birthDate: string
  gender: 'M' | 'F'
}

export type IdCardProblem = 'badLength' | 'badCharacters' | 'badBirthDate' | 'badCheckDigit'

export function parseIdCard(raw: string, today?: string): IdCardInfo | { problem: IdCardProblem } {
  const s = raw
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/ｘ|Ｘ/g, 'X')
    .toUpperCase()
  if (s.length !== 18) return { problem: 'badLength' }
  if (!/^\d{17}[\dX]$/.test(s)) return { problem: 'badCharacters' }
  const y = Number(s.slice(6, 10))
  const m = Number(s.slice(10, 12))
  const d = Number(s.slice(12, 14))
  const date = new Date(Date.UTC(y, m - 1, d))
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { problem: 'badBirthDate' }
  if (today && birthDate > today) return { problem: 'badBirthDate' }
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * WEIGHTS[i]
  if (CHECK[sum % 11] !== s[17]) return { problem: 'badCheckDigit' }
  return { idNo: s, birthDate, gender: (s.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F' }
}

/** Makes a valid number from its first 17 digits (for test data and demo seeds). */
export function withCheckDigit(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]
  return first17 + CHECK[sum % 11]
}
