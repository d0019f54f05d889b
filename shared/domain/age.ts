/**
 * A customer's age. Insurance products have age limits, so the card and the pool show it: exact from
 * the birth date (a list's column or the ID number), else from the age a list stated on the day it
 * was imported — then approximate, because a stated "45" may be 45 years and 11 months.
 */

/** Whole years from a birth date (YYYY-MM-DD) to a day (YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number)
  const [y, m, d] = day.split('-').map(Number)
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

/** 45, 45岁, 45周岁, 45 years → 45; anything else, or outside 0–120, is not an age. */
export function parseAge(s: string): number | null {
  const m = /^(\d{1,3})\s*(?:周?岁|years?)?$/i.exec(s.trim())
  if (!m) return null
  const n = Number(m[1])
  return n <= 120 ? n : null
}

export interface LeadAge {
  age: number | null
  /** True when the age comes from what a list stated, not from a birth date. */
  ageApprox: boolean
}

/** The age today: from the birth date when known, else the stated age plus the whole years since it was stated. */
export function leadAge(
  birthDate: string | null,
  statedAge: number | null,
  statedOn: string | null,
  today: string
): LeadAge {
  if (birthDate) return { age: ageOn(birthDate, today), ageApprox: false }
  if (statedAge === null || !statedOn) return { age: null, ageApprox: false }
  return { age: statedAge + Math.max(0, ageOn(statedOn.slice(0, 10), today)), ageApprox: true }
}
