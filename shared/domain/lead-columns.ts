/** The lead fields an import maps columns to, with the headers lists really use for them. */
export const LEAD_FIELDS = [
  'name',
  'phone',
  'gender',
  'birthDate',
  'age',
  'idNo',
  'address',
  'employer',
  'occupation',
  'note'
] as const
export type LeadField = (typeof LEAD_FIELDS)[number]

const SYNONYMS: Record<LeadField, string[]> = {
  name: ['姓名', '客户姓名', '客户名称', '名字', '客户', '联系人', 'name', 'fullname', 'customername', 'customer'],
  phone: [
    '手机',
    '手机号',
    '手机号码',
    '联系电话',
    '电话',
    '电话号码',
    '联系方式',
    '移动电话',
    'mobile',
    'phone',
    'tel',
    'telephone',
    'cellphone',
    'phonenumber',
    'mobilephone'
  ],
  gender: ['性别', 'gender', 'sex'],
  birthDate: ['出生日期', '生日', '出生年月', '出生年月日', 'birthday', 'birthdate', 'dateofbirth', 'dob'],
  age: ['年龄', '岁数', '周岁', 'age'],
  idNo: ['身份证', '身份证号', '身份证号码', '证件号', '证件号码', 'idno', 'idcard', 'idnumber', 'id'],
  address: ['地址', '住址', '家庭地址', '家庭住址', '联系地址', '通讯地址', '居住地址', 'address', 'homeaddress'],
  employer: ['单位', '工作单位', '公司', '单位名称', '公司名称', 'employer', 'company', 'workplace'],
  occupation: ['职业', '职务', '工种', 'occupation', 'job', 'position'],
  note: ['备注', '说明', '附注', 'note', 'notes', 'remark', 'remarks', 'comment']
}

const INDEX = new Map<string, LeadField>()
for (const f of LEAD_FIELDS) for (const s of SYNONYMS[f]) INDEX.set(s, f)

export function normaliseHeader(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/[\s_\-·:：()（）*]/g, '')
}

export function fieldForHeader(header: string): LeadField | null {
  return INDEX.get(normaliseHeader(header)) ?? null
}

/** Column index → field; columns not recognised (and second columns for a taken field) stay custom. */
export function suggestMapping(headers: readonly string[]): (LeadField | null)[] {
  const taken = new Set<LeadField>()
  return headers.map((h) => {
    const f = fieldForHeader(h)
    if (!f || taken.has(f)) return null
    taken.add(f)
    return f
  })
}

/** How many cells of a row look like headers: used to find the header row under a title block. */
export function headerScore(cells: readonly string[]): number {
  return cells.filter((c) => c && fieldForHeader(c)).length
}
