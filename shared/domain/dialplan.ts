import { isPhoneProblem, normalisePhone } from './phone'

export interface DialPlan {
  /** Digit(s) the PBX needs for an outside line, e.g. '9'; empty when none. */
  outsidePrefix: string
  /** The centre's own area code (0771): local landlines are dialled without it. */
  localAreaCode: string
}

/**
 * What the softphone dials for a lead's number: +86/0086 stripped (normalisePhone), a landline in
 * the centre's own city without its area code, a 0 before a mobile when core says the dial plan wants
 * it (from another city, on a PBX that needs it), every outside number behind the outside-line prefix;
 * a short internal extension as it is.
 * Returns null for a number that cannot be dialled.
 */
export function dialString(number: string, plan: DialPlan, opts: { trunkZero?: boolean } = {}): string | null {
  // Internal extensions (2–6 digits: a colleague, the QA desk) go as they are, without the prefix.
  const bare = number.replace(/[\s-]/g, '')
  if (/^\d{2,6}$/.test(bare)) return bare
  const n = normalisePhone(number, plan.localAreaCode)
  if (isPhoneProblem(n)) return null
  let digits = n.phone
  if (n.kind === 'landline' && plan.localAreaCode && digits.startsWith(plan.localAreaCode))
    digits = digits.slice(plan.localAreaCode.length)
  // core decides from the number's 归属地 whether the PBX wants a 0 before this mobile
  if (n.kind === 'mobile' && opts.trunkZero) digits = `0${digits}`
  return `${plan.outsidePrefix}${digits}`
}
