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

/** An ID number keeps its region (first six) and last four for those who may not see it whole. */
export function idNoFor(idNo: string | null, role: Role, settings: Pick<Settings, 'clearRoles'>): string | null {
  if (!idNo) return null
  return canSeeNumbers(role, settings) ? idNo : idNo.slice(0, 6) + '********' + idNo.slice(-4)
}
