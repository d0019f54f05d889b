import type { Role, Settings } from '../../shared/contract'
import { maskWith } from '../../shared/domain/phone'

/**
 * 号码脱敏, in one place: roles in the organisation's `clearRoles` see numbers and ID numbers
 * whole; everyone else gets them masked in the organisation's style.
 */
export function canSeeNumbers(role: Role, settings: Pick<Settings, 'clearRoles'>): boolean {
  return settings.clearRoles.includes(role)
}

export function phoneFor(phone: string, role: Role, settings: Pick<Settings, 'clearRoles' | 'maskStyle'>): string {
  return canSeeNumbers(role, settings) ? phone : maskWith(phone, settings.maskStyle)
}

/**
 * A supplier's cell as a role that may not see numbers gets it: every run of 7 or more digits (a
 * phone number, an ID number, a bank card; 9 or more when written with spaces or dashes, so that a
 * date stays) keeps its first three and last four (a shorter one its last four).
 */
export function cellFor(cell: string, role: Role, settings: Pick<Settings, 'clearRoles'>): string {
  if (canSeeNumbers(role, settings)) return cell
  return cell.replace(/\d[\d\s-]{5,}[\dXx]/g, (run) => {
    const d = run.replace(/[\s-]/g, '')
    // written with separators, 8 digits are a date (1985-03-15): a number has more
    if (d.length < (d === run ? 7 : 9)) return run
    // a mobile or an ID number keeps its first three and last four; a shorter number its last four
    return d.length >= 11
      ? d.slice(0, 3) + '*'.repeat(d.length - 7) + d.slice(-4)
      : '*'.repeat(d.length - 4) + d.slice(-4)
  })
}

/** An ID number keeps its region (first six) and last four for those who may not see it whole. */
export function idNoFor(idNo: string | null, role: Role, settings: Pick<Settings, 'clearRoles'>): string | null {
  if (!idNo) return null
  return canSeeNumbers(role, settings) ? idNo : idNo.slice(0, 6) + '********' + idNo.slice(-4)
}
