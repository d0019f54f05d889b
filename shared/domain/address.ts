/**
 * Finds the district of an address against the district table (every county-level division of
 * China, former names included). Names are looked up where they end — at a 区, 县, 市 or 旗 — so an
 * address costs a few hash lookups, not one scan per district, and a million-row list keeps its speed.
 */
export interface DistrictLike {
  code: string
  name: string
  city: string
  province?: string
  aliases: readonly string[]
}

export interface DistrictMatcher {
  match(address: string): string | null
}

const ENDS = new Set(['区', '县', '市', '旗'])
const LONGEST_NAME = 12

/** Short forms people write: 青秀区 → 青秀, 横州市 → 横州, 隆安县 → 隆安 (only when two or more characters remain). */
function shortForms(name: string): string[] {
  const m = /^(.{2,})(区|县|市)$/.exec(name)
  return m ? [m[1]] : []
}

/** 广西壮族自治区 → 广西, 南宁市 → 南宁, 锡林郭勒盟 → 锡林郭勒 (names an address may use for a place). */
function placeNames(full: string | undefined): string[] {
  if (!full) return []
  const short = full
    .replace(/(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市|地区|盟)$/, '')
    .replace(/^(.{2,}?)(?:[\u4e00-\u9fa5]{1,8}族)+自治州$/, '$1')
  return short && short !== full ? [full, short] : [full]
}

export function createDistrictMatcher(
  districts: readonly DistrictLike[],
  opts: { preferCity?: string } = {}
): DistrictMatcher {
  const byCode = new Map(districts.map((d) => [d.code, d]))
  /** Full and former names → the districts that carry them (朝阳区: Beijing's and Changchun's). */
  const byName = new Map<string, string[]>()
  const add = (map: Map<string, string[]>, name: string, code: string) => {
    const codes = map.get(name)
    if (!codes) map.set(name, [code])
    else if (!codes.includes(code)) codes.push(code)
  }
  for (const d of districts) for (const n of [d.name, ...d.aliases]) add(byName, n, d.code)
  /** City names (南宁市, 南宁) → that city's districts by short form (青秀 → 450103), for “南宁青秀万达”. */
  const cityShorts = new Map<string, Map<string, string[]>>()
  const provinces = new Set<string>()
  for (const d of districts) {
    for (const p of placeNames(d.province)) provinces.add(p)
    for (const c of placeNames(d.city)) {
      let shorts = cityShorts.get(c)
      if (!shorts) cityShorts.set(c, (shorts = new Map()))
      for (const s of [...shortForms(d.name), ...d.aliases.flatMap(shortForms)]) add(shorts, s, d.code)
    }
  }
  const preferred = opts.preferCity

  /** Of several districts with one name, the one whose city or province the address names; else the centre's. */
  function resolve(codes: string[], address: string, nameLength: number): string | null {
    const named = codes.filter((c) => {
      const d = byCode.get(c)!
      return [...placeNames(d.city), ...placeNames(d.province)].some((p) => p !== d.name && address.includes(p))
    })
    if (named.length === 1) return named[0]
    const own = codes.filter((c) => byCode.get(c)!.city === preferred)
    if (own.length === 1) return own[0]
    // a two-character name (城区, 南县) says too little alone
    if (codes.length === 1 && nameLength > 2) return codes[0]
    return null
  }

  return {
    match(address: string): string | null {
      const a = address.replace(/\s+/g, '')
      if (!a) return null
      let best: { name: string; at: number; code: string } | null = null
      for (let end = 1; end < a.length + 1; end++) {
        if (!ENDS.has(a[end - 1])) continue
        for (let len = Math.min(end, LONGEST_NAME); len >= 2; len--) {
          const name = a.slice(end - len, end)
          const codes = byName.get(name)
          if (!codes) continue
          const code = resolve(codes, a, len)
          if (code && (!best || len > best.name.length)) best = { name, at: end - len, code }
          break
        }
      }
      if (best) return best.code
      // Short forms (南宁青秀万达): after the city's name, or at the start for the centre's own city.
      let rest = a.replace(/^中国/, '')
      for (const p of provinces) if (rest.startsWith(p)) rest = rest.slice(p.length)
      let shorts = preferred ? cityShorts.get(preferred) : undefined
      for (let len = Math.min(rest.length, 9); len >= 2; len--) {
        const city = cityShorts.get(rest.slice(0, len))
        if (city) {
          shorts = city
          rest = rest.slice(len)
          break
        }
      }
      if (!shorts) return null
      for (let len = Math.min(rest.length, LONGEST_NAME); len >= 2; len--) {
        const codes = shorts.get(rest.slice(0, len))
        if (codes?.length === 1) return codes[0]
      }
      return null
    }
  }
}
