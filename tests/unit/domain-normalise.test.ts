import { describe, expect, it } from 'vitest'
import { maskPhone, normalisePhone } from '../../shared/domain/phone'
import { parseIdCard, withCheckDigit } from '../../shared/domain/id-card'
import { createDistrictMatcher } from '../../shared/domain/address'
import { chinaDistricts } from '../../electron/core/districts/china'
import { suggestMapping } from '../../shared/domain/lead-columns'

describe('phone numbers', () => {
  it.each([
    ['13812345678', '13812345678', 'mobile'],
    ['138 1234 5678', '13812345678', 'mobile'],
    ['138-1234-5678', '13812345678', 'mobile'],
    ['１３８１２３４５６７８', '13812345678', 'mobile'],
    ['+86 138 1234 5678', '13812345678', 'mobile'],
    ['+8613812345678', '13812345678', 'mobile'],
    ['008613812345678', '13812345678', 'mobile'],
    ['8613812345678', '13812345678', 'mobile'],
    ['0771-5551234', '07715551234', 'landline'],
    ['(0771) 555 1234', '07715551234', 'landline'],
    ['0771-55512345', '077155512345', 'landline'],
    ['010-87654321', '01087654321', 'landline'],
    ['5551234', '07715551234', 'landline']
  ])('%s → %s', (raw, phone, kind) => {
    expect(normalisePhone(raw, '0771')).toEqual({ phone, kind })
  })

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['12812345678', 'badMobile'],
    ['1381234567', 'badMobile'],
    ['138123456789', 'badMobile'],
    ['abc', 'notDigits'],
    ['1.38123E+10', 'notDigits'],
    ['0771-123', 'badLandline'],
    ['12345', 'tooShort']
  ])('%j is refused as %s', (raw, problem) => {
    expect(normalisePhone(raw, '0771')).toEqual({ problem })
  })

  it('masks the middle four digits of a mobile', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('07715551234')).toBe('0771****234')
  })
})

describe('ID card numbers', () => {
  const valid = withCheckDigit('45010319850315123')
  it('a valid number gives birth date and gender', () => {
    expect(parseIdCard(valid)).toEqual({ idNo: valid, birthDate: '1985-03-15', gender: 'M' })
    expect(parseIdCard(withCheckDigit('45010319900704002'))).toMatchObject({ birthDate: '1990-07-04', gender: 'F' })
  })
  it('the X check digit, also in lower or full-width case', () => {
    // 11010519491231002X is the standard's own example
    expect(parseIdCard('11010519491231002x')).toMatchObject({
      idNo: '11010519491231002X',
      gender: 'F',
      birthDate: '1949-12-31'
    })
    expect(parseIdCard('11010519491231002Ｘ')).toMatchObject({ idNo: '11010519491231002X' })
  })
  it('refuses wrong check digits, impossible dates, wrong lengths', () => {
    const wrong = valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1')
    expect(parseIdCard(wrong)).toEqual({ problem: 'badCheckDigit' })
    expect(parseIdCard(withCheckDigit('45010319850230123'))).toEqual({ problem: 'badBirthDate' })
    expect(parseIdCard('4501031985031512')).toEqual({ problem: 'badLength' })
    expect(parseIdCard('45010319850315A23X')).toEqual({ problem: 'badCharacters' })
    expect(parseIdCard(withCheckDigit('45010330850315123'), '2026-11-23')).toEqual({ problem: 'badBirthDate' })
  })
})

describe('district from the address', () => {
  const m = createDistrictMatcher(chinaDistricts(), { preferCity: '南宁市' })
  it.each([
    ['广西壮族自治区南宁市青秀区民族大道100号', '450103'],
    ['南宁市西乡塘区大学东路', '450107'],
    ['广西横县横州镇茉莉花大道', '450181'],
    ['南宁市横州市峦城镇', '450181'],
    ['广西南宁武鸣县城厢镇', '450110'],
    ['南宁武鸣区', '450110'],
    ['江南区星光大道8号', '450105'],
    ['南宁青秀万达广场', '450103'],
    ['广西宾阳县宾州镇', '450126'],
    // other provinces, GB/T 2260 codes
    ['广西柳州市城中区文昌路', '450202'],
    ['广东省深圳市南山区科技园', '440305'],
    ['浙江省杭州市西湖区文三路', '330106'],
    ['四川省成都市武侯区', '510107'],
    ['内蒙古自治区呼和浩特市赛罕区', '150105'],
    ['湖北省仙桃市沔阳大道', '429004'],
    ['北京市朝阳区建国路', '110105'],
    // a name several cities share: the address's city decides
    ['吉林省长春市朝阳区', '220104'],
    ['甘肃省兰州市城关区', '620102'],
    ['西藏拉萨市城关区', '540102'],
    ['成都青羊万达', '510105']
  ])('%s → %s', (address, code) => {
    expect(m.match(address)).toBe(code)
  })
  it('says nothing when no district is named, or a shared name is not decided by the address', () => {
    expect(m.match('')).toBeNull()
    expect(m.match('南宁市民族大道')).toBeNull()
    // 城关区 is in several cities, none named
    expect(m.match('城关区人民路')).toBeNull()
    // 城区 (three cities have one) alone says too little; 老城区 is Luoyang's
    expect(m.match('城区步行街')).toBeNull()
    expect(m.match('河南省洛阳市老城区')).toBe('410302')
  })
  it('prefers the centre’s own city for a name other cities also have', () => {
    // 城区 is in Yangquan, Jincheng and Shanwei: a centre in Yangquan means its own
    const yangquan = createDistrictMatcher(chinaDistricts(), { preferCity: '阳泉市' })
    expect(yangquan.match('城区北大街')).toBe('140302')
    expect(m.match('兴宁区朝阳路')).toBe('450102')
    const meizhou = createDistrictMatcher(chinaDistricts(), { preferCity: '梅州市' })
    expect(meizhou.match('兴宁市兴田街道')).toBe('441481')
  })
  it('keeps the old names: 横县 and 武鸣县', () => {
    const d = chinaDistricts()
    expect(d.find((x) => x.code === '450181')).toMatchObject({ name: '横州市', city: '南宁市', aliases: ['横县'] })
    expect(d.find((x) => x.code === '450110')).toMatchObject({
      name: '武鸣区',
      aliases: ['武鸣县'],
      direction: 'north'
    })
    expect(d.find((x) => x.code === '110105')).toMatchObject({ city: '北京市', province: '北京市' })
    expect(d.length).toBeGreaterThan(2800)
  })
})

describe('column headers', () => {
  it('recognises Chinese and English headers and keeps unknown ones custom', () => {
    expect(
      suggestMapping([
        '客户姓名',
        '手机号',
        '性别',
        '生日',
        '身份证号',
        '家庭地址',
        '工作单位',
        '职业',
        '备注',
        '来源渠道'
      ])
    ).toEqual(['name', 'phone', 'gender', 'birthDate', 'idNo', 'address', 'employer', 'occupation', 'note', null])
    expect(suggestMapping(['Name', 'Mobile', 'Phone', 'Address'])).toEqual(['name', 'phone', null, 'address'])
  })
})

describe('weekdays as people read them', () => {
  it('groups consecutive days into runs (周一至周日, not 一二三四五六日)', async () => {
    const { weekdayRuns } = await import('../../shared/domain/calling-time')
    expect(weekdayRuns([1, 2, 3, 4, 5, 6, 7])).toEqual([[1, 7]])
    expect(weekdayRuns([5, 1, 2, 3, 4])).toEqual([[1, 5]])
    expect(weekdayRuns([1, 3, 5, 6, 7])).toEqual([
      [1, 1],
      [3, 3],
      [5, 7]
    ])
    expect(weekdayRuns([])).toEqual([])
  })
})
