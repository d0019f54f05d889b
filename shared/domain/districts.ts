/**
 * Nanning's districts with their official codes (docs/domain.md). Former names are kept as
 * aliases because old addresses still use them: 横县 became 横州市 in 2021, 武鸣县 became
 * 武鸣区 in 2015. Other cities are added as data, not code.
 */
export interface DistrictSeed {
  code: string
  name: string
  city: string
  aliases: string[]
  direction: 'east' | 'south' | 'west' | 'north' | null
}

export const NANNING_DISTRICTS: readonly DistrictSeed[] = [
  { code: '450102', name: '兴宁区', city: '南宁市', aliases: [], direction: 'north' },
  { code: '450103', name: '青秀区', city: '南宁市', aliases: [], direction: 'east' },
  { code: '450105', name: '江南区', city: '南宁市', aliases: [], direction: 'south' },
  { code: '450107', name: '西乡塘区', city: '南宁市', aliases: [], direction: 'west' },
  { code: '450108', name: '良庆区', city: '南宁市', aliases: [], direction: 'south' },
  { code: '450109', name: '邕宁区', city: '南宁市', aliases: [], direction: 'east' },
  { code: '450110', name: '武鸣区', city: '南宁市', aliases: ['武鸣县'], direction: 'north' },
  { code: '450123', name: '隆安县', city: '南宁市', aliases: [], direction: 'west' },
  { code: '450124', name: '马山县', city: '南宁市', aliases: [], direction: 'north' },
  { code: '450125', name: '上林县', city: '南宁市', aliases: [], direction: 'north' },
  { code: '450126', name: '宾阳县', city: '南宁市', aliases: [], direction: 'east' },
  { code: '450181', name: '横州市', city: '南宁市', aliases: ['横县'], direction: 'east' }
]
