import { isPhoneProblem, normalisePhone } from './phone'

export interface DialPlan {
  /** Digit(s) the PBX needs for an outside line, e.g. '9'; empty when none. */
  outsidePrefix: string
  /** The centre's own area code (0771): local landlines are dialled without it. */
  localAreaCode: string
}

/**
 * What the softphone dials for a lead's number: +86/0086 stripped (normalisePhone), a landline in
 * the centre's own city without its area code, every outside number behind the outside-line prefix;
 * a short internal extension as it is.
 * Returns null for a number that cannot be dialled.
 */
export function dialString(number: string, plan: DialPlan): string | null {
  // Internal extensions (2–6 digits: a colleague, the QA desk) go as they are, without the prefix.
  const bare = number.replace(/[\s-]/g, '')
  if (/^\d{2,6}$/.test(bare)) return bare
  const n = normalisePhone(number, plan.localAreaCode)
  if (isPhoneProblem(n)) return null
  let digits = n.phone
  if (n.kind === 'landline' && plan.localAreaCode && digits.startsWith(plan.localAreaCode))
    digits = digits.slice(plan.localAreaCode.length)
  return `${plan.outsidePrefix}${digits}`
}
