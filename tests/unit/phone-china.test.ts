import { describe, expect, it } from 'vitest'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { checkPhone, isRefused } from '../../electron/core/phone/numbers'
import { carrierOf, regionOf, splitRegion } from '../../electron/core/phone/geo'
import { needsTrunkZero, outsideArea } from '../../electron/core/phone/area'
import { dialString } from '../../shared/domain/dialplan'

/** libphonenumber's own verdict on a Chinese number: mobile, landline or refused. */
function google(digits: string): 'mobile' | 'landline' | 'refused' {
  const p = parsePhoneNumberFromString(digits, 'CN')
  if (!p || !p.isValid() || p.country !== 'CN') return 'refused'
  const t = p.getType()
  if (t === 'MOBILE') return 'mobile'
  if (t === 'FIXED_LINE') return 'landline'
  return 'refused'
}
const ours = (raw: string) => {
  const r = checkPhone(raw, '0771')
  return isRefused(r) ? 'refused' : r.kind
}

describe('phone numbers against libphonenumber', () => {
  it.each([
    // allocated mobile ranges
    ['13812345678', 'mobile'],
    ['15012345678', 'mobile'],
    ['16612345678', 'mobile'],
    ['17012345678', 'mobile'],
    ['19212345678', 'mobile'],
    ['19912345678', 'mobile'],
    ['14512345678', 'mobile'],
    // ranges not allocated to voice: 140 IoT, 141/144 data, 154, 160, 174 satellite
    ['14012345678', 'refused'],
    ['14112345678', 'refused'],
    ['14412345678', 'refused'],
    ['15412345678', 'refused'],
    ['16012345678', 'refused'],
    ['17412345678', 'refused'],
    ['12812345678', 'refused'],
    // landlines: 3-digit area codes take 8 local digits, Nanning (0771) takes 7
    ['01062345678', 'landline'],
    ['0106234567', 'refused'],
    ['02087654321', 'landline'],
    ['07715551234', 'landline'],
    ['077155512345', 'refused'],
    ['075523456789', 'landline'],
    ['0311-1234567', 'refused'],
    // +86 / 0086 / full-width / separators
    ['+86 138 1234 5678', 'mobile'],
    ['0086-13812345678', 'mobile'],
    ['８６１３８１２３４５６７８', 'mobile'],
    ['（0771）555-1234', 'landline'],
    // 400/800 are no person's line
    ['4001234567', 'refused'],
    ['8001234567', 'refused']
  ])('%s is %s', (raw, verdict) => {
    expect(ours(raw)).toBe(verdict)
    const digits = raw
      .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/\D/g, '')
      .replace(/^(0086|86)(?=1\d{10}$)/, '')
    expect(google(digits)).toBe(verdict)
  })

  it('agrees with libphonenumber on 7,000 generated numbers', () => {
    let s = 42
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('')
    const disagree: string[] = []
    for (let i = 0; i < 7000; i++) {
      const n =
        i % 2 === 0
          ? `1${3 + Math.floor(rnd() * 7)}${digits(9)}`
          : `0${['10', '20', '21', '771', '772', '311', '898', '755', '591'][i % 9]}${digits(7 + (i % 3 === 0 ? 1 : 0))}`
      if (ours(n) !== google(n)) disagree.push(n)
    }
    expect(disagree).toEqual([])
  })

  it('says why a number is refused', () => {
    expect(checkPhone('14012345678', '0771')).toMatchObject({ problem: 'notAllocated', detail: { prefix: '140' } })
    expect(checkPhone('077155512345', '0771')).toMatchObject({
      problem: 'wrongLengthForArea',
      detail: { area: '0771', lengths: '7', place: '南宁市' },
      region: { province: '广西', city: '南宁市' }
    })
    expect(checkPhone('0106234567', '0771')).toMatchObject({
      problem: 'wrongLengthForArea',
      detail: { area: '010', lengths: '8' }
    })
    expect(checkPhone('06401234567', '0771')).toMatchObject({ problem: 'unknownAreaCode' })
    expect(checkPhone('4001234567', '0771')).toMatchObject({ problem: 'notDialable', detail: { type: '400' } })
    expect(checkPhone('8001234567', '0771')).toMatchObject({ problem: 'notDialable', detail: { type: '800' } })
    expect(checkPhone('+1 415 555 2671', '0771')).toMatchObject({ problem: 'notChinese' })
    expect(checkPhone('00852 9123 4567', '0771')).toMatchObject({ problem: 'notChinese' })
    expect(checkPhone('', '0771')).toMatchObject({ problem: 'empty' })
    expect(checkPhone('1.38123E+10', '0771')).toMatchObject({ problem: 'notDigits' })
    expect(checkPhone('12345', '0771')).toMatchObject({ problem: 'tooShort' })
  })

  it('keeps the default area code for bare local numbers', () => {
    expect(checkPhone('5551234', '0771')).toMatchObject({ phone: '07715551234', kind: 'landline' })
  })
})

describe('归属地 and carrier', () => {
  it.each([
    ['13807711234', '广西', '南宁市', '中国移动'],
    ['18677101234', '广西', '南宁市', '中国联通'],
    ['13912345678', '江苏', '常州市', '中国移动'],
    ['13000101234', '北京', '北京市', '中国联通'],
    ['13000201234', '上海', '上海市', '中国联通'],
    ['18912345678', '江苏', '常州市', '中国电信'],
    ['07715551234', '广西', '南宁市', null],
    ['01062345678', '北京', '北京市', null],
    ['02087654321', '广东', '广州市', null]
  ])('%s is from %s %s (%s)', (phone, province, city, carrier) => {
    expect(regionOf(phone)).toEqual({ province, city })
    expect(carrierOf(phone)).toBe(carrier)
    const r = checkPhone(phone)
    expect(r).toMatchObject({ region: { province, city }, carrier })
  })

  it('splits the data’s place names into province and city', () => {
    expect(splitRegion('广西南宁市')).toEqual({ province: '广西', city: '南宁市' })
    expect(splitRegion('内蒙古呼和浩特市')).toEqual({ province: '内蒙古', city: '呼和浩特市' })
    expect(splitRegion('广东省广州市')).toEqual({ province: '广东', city: '广州市' })
    expect(splitRegion('辽宁省沈阳市、铁岭市、抚顺市')).toEqual({ province: '辽宁', city: '沈阳市、铁岭市、抚顺市' })
    expect(splitRegion('重庆市')).toEqual({ province: '重庆', city: '重庆市' })
  })

  it('tells numbers from outside the centre’s area', () => {
    const nanning = { province: '广西', city: '南宁市', outside: 'flag' as const }
    expect(outsideArea(regionOf('13807711234'), { ...nanning, scope: 'city' })).toBeNull()
    expect(outsideArea(regionOf('07725551234'), { ...nanning, scope: 'city' })).toBe('广西柳州市')
    expect(outsideArea(regionOf('07725551234'), { ...nanning, scope: 'province' })).toBeNull()
    expect(outsideArea(regionOf('13912345678'), { ...nanning, scope: 'province' })).toBe('江苏常州市')
    // an area code shared by cities is the centre's when one of them is
    const shenyang = { province: '辽宁', city: '铁岭市', outside: 'flag' as const, scope: 'city' as const }
    expect(outsideArea(regionOf('02423456789'), shenyang)).toBeNull()
    expect(outsideArea(null, { ...nanning, scope: 'city' })).toBeNull()
  })
})

describe('dial plan: 0 before mobiles from outside the PBX’s city', () => {
  const centre = (on: boolean) => ({
    area: { province: '广西', city: '南宁市' },
    dialPlan: { zeroForOutOfTownMobiles: on }
  })
  it('is decided from the number’s 归属地, only when the rule is on, and only for mobiles', () => {
    expect(needsTrunkZero('13000061234', centre(true))).toBe(true) // Nanjing
    expect(needsTrunkZero('13807711234', centre(true))).toBe(false) // Nanning
    expect(needsTrunkZero('07725551234', centre(true))).toBe(false) // a landline keeps its area code instead
    expect(needsTrunkZero('13000061234', centre(false))).toBe(false)
  })
  it('the softphone dials the 0 after the outside-line prefix', () => {
    const plan = { outsidePrefix: '9', localAreaCode: '0771' }
    expect(dialString('13000061234', plan, { trunkZero: true })).toBe('9013000061234')
    expect(dialString('13000061234', plan)).toBe('913000061234')
    expect(dialString('07715551234', plan, { trunkZero: true })).toBe('95551234')
  })
})
