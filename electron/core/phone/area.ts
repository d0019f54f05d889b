import type { PhoneRegion } from './geo'
import { regionOf, regionText } from './geo'

/**
 * The centre's own area (a setting, 广西 南宁市 by default) and a campaign's rule for numbers from
 * outside it: take them, take them with a warning on the import report, or refuse them.
 */
export interface PhoneAreaRules {
  province: string
  city: string
  /** What counts as outside: another city, or only another province. */
  scope: 'city' | 'province'
  outside: 'accept' | 'flag' | 'refuse'
}

/** Whether a number's region is another province than the centre's. Unknown regions are not outside. */
export function outsideProvince(region: PhoneRegion | null, area: { province: string }): boolean {
  return !!region?.province && region.province !== area.province
}

/** Another city (an area code shared by several cities counts as the centre's if one of them is). */
export function outsideCity(region: PhoneRegion | null, area: { province: string; city: string }): boolean {
  if (!region?.province) return false
  return outsideProvince(region, area) || !region.city.split('、').includes(area.city)
}

/**
 * The dial plan's rule “0 before a mobile from outside the PBX's city” (the centre's city): decided
 * from the number's 归属地, so a local mobile is dialled as it is.
 */
export function needsTrunkZero(
  phone: string,
  settings: { area: { province: string; city: string }; dialPlan: { zeroForOutOfTownMobiles: boolean } }
): boolean {
  if (!settings.dialPlan.zeroForOutOfTownMobiles || phone[0] !== '1') return false
  return outsideCity(regionOf(phone), settings.area)
}

/** The number's region in words when it is outside the campaign's area (else null). */
export function outsideArea(region: PhoneRegion | null, rules: PhoneAreaRules): string | null {
  const out = rules.scope === 'province' ? outsideProvince(region, rules) : outsideCity(region, rules)
  return out && region ? regionText(region.province, region.city) : null
}
