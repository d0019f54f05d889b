// Realistic Chinese lead lists for the benchmarks: names, mobiles, addresses in Nanning's
// districts (old names too), ID numbers with valid check digits, some duplicates and bad rows.
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁鹏海波建国志强小军美玲海燕晓东春梅丽华'
const DISTRICTS = [
  ['450102', '兴宁区', ['朝阳路', '民主路', '长堽路']],
  ['450103', '青秀区', ['民族大道', '竹溪大道', '凤岭北路']],
  ['450105', '江南区', ['星光大道', '白沙大道', '亭洪路']],
  ['450107', '西乡塘区', ['大学东路', '明秀路', '北湖路']],
  ['450108', '良庆区', ['五象大道', '良庆大道']],
  ['450109', '邕宁区', ['蒲庙镇', '龙岗大道']],
  ['450110', '武鸣县', ['城厢镇', '灵源路']],
  ['450123', '隆安县', ['城厢镇']],
  ['450124', '马山县', ['白山镇']],
  ['450125', '上林县', ['大丰镇']],
  ['450126', '宾阳县', ['宾州镇']],
  ['450181', '横县', ['横州镇', '茉莉花大道']]
]
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const C = '10X98765432'
const PREFIX = [
  '130',
  '131',
  '132',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '158',
  '159',
  '177',
  '180',
  '186',
  '187',
  '188',
  '189',
  '199'
]

function rng(seed) {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296
}

/** Yields CSV lines (header first). `offset` shifts the phone space so two lists do not overlap. */
export function* leadLines(n, { seed = 1, offset = 0 } = {}) {
  const r = rng(seed)
  yield '客户姓名,手机号,性别,身份证号,家庭地址,工作单位,备注'
  for (let i = 0; i < n; i++) {
    const name =
      SURNAMES[(r() * SURNAMES.length) | 0] +
      GIVEN[(r() * GIVEN.length) | 0] +
      (r() < 0.6 ? GIVEN[(r() * GIVEN.length) | 0] : '')
    const k = r()
    let phone
    if (k < 0.01)
      phone = '1' + String(i).padStart(8, '0') // bad: 9 digits
    else if (k < 0.03 && i > 10)
      phone = `${PREFIX[(i - 7) % PREFIX.length]}${String((offset + i - 7) % 1e8).padStart(8, '0')}` // duplicate of row i-7
    else phone = `${PREFIX[i % PREFIX.length]}${String((offset + i) % 1e8).padStart(8, '0')}`
    if (k > 0.97) phone = phone.slice(0, 3) + '-' + phone.slice(3, 7) + '-' + phone.slice(7)
    const d = DISTRICTS[(r() * DISTRICTS.length) | 0]
    const y = 1950 + ((r() * 50) | 0)
    const mo = String(1 + ((r() * 12) | 0)).padStart(2, '0')
    const da = String(1 + ((r() * 28) | 0)).padStart(2, '0')
    const first17 = `${d[0]}${y}${mo}${da}${String((r() * 1000) | 0).padStart(3, '0')}`
    let sum = 0
    for (let j = 0; j < 17; j++) sum += (first17.charCodeAt(j) - 48) * W[j]
    const id = r() < 0.3 ? first17 + C[sum % 11] : ''
    const gender = id ? '' : r() < 0.5 ? '男' : '女'
    const addr = `${r() < 0.5 ? '广西南宁市' : '南宁市'}${d[1]}${d[2][(r() * d[2].length) | 0]}${1 + ((r() * 300) | 0)}号`
    yield `${name},${phone},${gender},${id},${addr},${r() < 0.2 ? '"南宁某某有限公司,销售部"' : ''},`
  }
}
