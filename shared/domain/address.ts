/** Finds the district of an address against the district table, former names included. */
export interface DistrictLike {
  code: string
  name: string
  city: string
  aliases: readonly string[]
}

export interface DistrictMatcher {
  match(address: string): string | null
}

/** Short forms people write: 青秀区 → 青秀, 横州市 → 横州, 隆安县 → 隆安 (only when two or more characters remain). */
function shortForms(name: string): string[] {
  const m = /^(.{2,})(区|县|市)$/.exec(name)
  return m ? [m[1]] : []
}

/**
 * Longest name first, so 西乡塘区 wins over anything shorter inside it. Full names and former
 * names (横县, 武鸣县) match anywhere; short forms (青秀) only when the city or a full district
 * name does not already decide, and only after the city name or at the start, to avoid 'X县路'.
 */
export function createDistrictMatcher(districts: readonly DistrictLike[]): DistrictMatcher {
  const full: [string, string][] = []
  const short: [string, string][] = []
  for (const d of districts) {
    full.push([d.name, d.code])
    for (const a of d.aliases) full.push([a, d.code])
    for (const s of [...shortForms(d.name), ...d.aliases.flatMap(shortForms)]) short.push([s, d.code])
  }
  full.sort((a, b) => b[0].length - a[0].length)
  short.sort((a, b) => b[0].length - a[0].length)
  const cities = [...new Set(districts.map((d) => d.city))].flatMap((c) => [c, c.replace(/市$/, '')])
  return {
    match(address: string): string | null {
      const a = address.replace(/\s+/g, '')
      if (!a) return null
      for (const [name, code] of full) if (a.includes(name)) return code
      let rest = a.replace(/^(中国)?(广西壮族自治区|广西自治区|广西)?/, '')
      for (const c of cities) if (rest.startsWith(c)) rest = rest.slice(c.length)
      for (const [name, code] of short) if (rest.startsWith(name)) return code
      return null
    }
  }
}
