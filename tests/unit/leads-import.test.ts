import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Core } from '../../electron/core'
import type { ImportOptions } from '../../electron/core/leads/import'
import { fingerprint, makeCore } from '../helpers/core'

const FIX = join(__dirname, '../fixtures/leads')
const fixture = (name: string) => readFileSync(join(FIX, name))

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
beforeEach(async () => {
  env = await makeCore({ demo: false })
})
afterEach(() => env.cleanup())

function opts(fileName: string, extra: Partial<ImportOptions> & { encoding?: string; sheet?: string } = {}) {
  return { fileName, source: 'test', campaignId: 1, policy: 'skip' as const, userId: null, ...extra }
}

function leads(core: Core) {
  return core.db
    .prepare(
      'SELECT phone, phone_kind, name, gender, birth_date, id_no, address, district_code, extra, note FROM leads ORDER BY id'
    )
    .all() as Record<string, string | null>[]
}

function reportRows(core: Core, batchId: number) {
  return core.db
    .prepare('SELECT row_no, outcome, reason, detail FROM import_rows WHERE batch_id = ? ORDER BY row_no')
    .all(batchId)
}

describe('importing real-world lists', () => {
  it('UTF-8 with BOM: exactly which rows are imported, and why the others are not', async () => {
    const r = await env.core.leads.importFile(fixture('utf8-bom.csv'), opts('utf8-bom.csv'), {}, 'test')
    expect(r).toMatchObject({
      rows: 8,
      imported: 5,
      duplicatesInFile: 1,
      duplicatesInPool: 0,
      invalid: 2,
      dnc: 0,
      warnings: 1
    })
    const got = leads(env.core)
    expect(got.map((l) => [l.name, l.phone])).toEqual([
      ['张伟', '13877110001'],
      ['李娜', '13877110002'],
      ['王芳', '13877110003'],
      ['刘洋', '13877110005'],
      ['黄磊', '07715551234']
    ])
    expect(got[0]).toMatchObject({
      gender: 'M',
      birth_date: '1985-03-15',
      id_no: '450103198503151236',
      district_code: '450103',
      note: '老客户,已购车险',
      extra: '{"来源渠道":"渠道A"}'
    })
    // gender and birth date from the ID card when the file lacks them; a quoted newline kept
    expect(got[1]).toMatchObject({
      gender: 'F',
      birth_date: '1990-07-04',
      district_code: '450105',
      note: '备注第一行\r\n第二行'
    })
    // full-width digits; 横县 is 横州市 now
    expect(got[2]).toMatchObject({ gender: 'F', district_code: '450181' })
    // a bad ID number is dropped, the lead kept; 武鸣县 is 武鸣区 now
    expect(got[3]).toMatchObject({ id_no: null, gender: 'M', district_code: '450110' })
    expect(got[4]).toMatchObject({ phone_kind: 'landline', district_code: '450102' })
    expect(reportRows(env.core, r.batchId)).toEqual([
      { row_no: 6, outcome: 'duplicate_in_file', reason: 'duplicateInFile', detail: '2' },
      { row_no: 7, outcome: 'invalid', reason: 'phone.tooShort', detail: '1387711000' },
      { row_no: 8, outcome: 'warning', reason: 'idNo.badBirthDate', detail: '450103198502301234' },
      { row_no: 11, outcome: 'invalid', reason: 'phone.empty', detail: '' }
    ])
    const batch = env.core.db.prepare('SELECT * FROM import_batches WHERE id = ?').get(r.batchId)
    expect(batch).toMatchObject({
      file_name: 'utf8-bom.csv',
      kind: 'csv',
      encoding: 'utf-8',
      rows: 8,
      imported: 5,
      duplicates_in_file: 1,
      invalid: 2
    })
  })

  it('GBK is detected; a number on the do-not-call list is not imported', async () => {
    env.core.db
      .prepare(
        "INSERT INTO dnc_entries (phone, reason, source, effective_at, added_at) VALUES ('13977120002', '客户要求', 'customer_request', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
      )
      .run()
    const r = await env.core.leads.importFile(fixture('gbk.csv'), opts('gbk.csv'), {}, 'test')
    expect(r).toMatchObject({ rows: 3, imported: 2, dnc: 1, invalid: 0 })
    expect(leads(env.core).map((l) => [l.name, l.birth_date, l.district_code])).toEqual([
      ['韦小宝', '1985-03-15', '450103'],
      ['蒙大海', null, '450108']
    ])
    expect(reportRows(env.core, r.batchId)).toEqual([
      { row_no: 3, outcome: 'dnc', reason: 'onDoNotCallList', detail: '客户要求' }
    ])
    expect(env.core.db.prepare('SELECT encoding FROM import_batches').pluck().get()).toBe('gb18030')
  })

  it('an expired do-not-call entry no longer blocks the number', async () => {
    env.core.db
      .prepare(
        "INSERT INTO dnc_entries (phone, reason, source, effective_at, added_at, expires_at) VALUES ('13977120002', '拒绝', 'refusal', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z')"
      )
      .run()
    const r = await env.core.leads.importFile(fixture('gbk.csv'), opts('gbk.csv'), {}, 'test')
    expect(r).toMatchObject({ imported: 3, dnc: 0 })
  })

  it('forcing the wrong encoding is refused with a clear message and imports nothing', async () => {
    const before = fingerprint(env.core, { withAudit: true })
    await expect(
      env.core.leads.importFile(fixture('gbk.csv'), opts('gbk.csv', { encoding: 'utf-8' }), {}, 'test')
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      key: 'errors.wrongEncoding'
    })
    expect(fingerprint(env.core, { withAudit: true })).toBe(before)
  })

  it('semicolon-separated with English headers, and UTF-16 tab-separated text', async () => {
    const a = await env.core.leads.importFile(fixture('semicolon.csv'), opts('semicolon.csv'), {}, 'test')
    expect(a).toMatchObject({ rows: 2, imported: 2 })
    const b = await env.core.leads.importFile(fixture('tab-utf16.txt'), opts('tab-utf16.txt'), {}, 'test')
    expect(b).toMatchObject({ rows: 2, imported: 2 })
    expect(leads(env.core).map((l) => [l.name, l.district_code, l.note])).toEqual([
      ['Li Lei', '450103', 'uses; semicolons'],
      ['Han Meimei', '450105', null],
      ['莫小军', '450124', null],
      ['蓝天', '450125', null]
    ])
  })

  it('an XLSX made by LibreOffice: title and section rows skipped, numeric phones and date cells read', async () => {
    const preview = await env.core.leads.preview(fixture('libreoffice-made.xlsx'), {})
    expect(preview).toMatchObject({
      kind: 'xlsx',
      sheet: '11月名单',
      sheets: ['11月名单', '说明'],
      headerRowNo: 3,
      headers: ['姓名', '手机号码', '生日', '地址', '客户等级']
    })
    expect(preview.mapping).toEqual(['name', 'phone', 'birthDate', 'address', null])
    const r = await env.core.leads.importFile(
      fixture('libreoffice-made.xlsx'),
      opts('libreoffice-made.xlsx'),
      {},
      'test'
    )
    expect(r).toMatchObject({ rows: 3, imported: 2, duplicatesInFile: 1 })
    expect(leads(env.core).map((l) => [l.name, l.phone, l.birth_date, l.district_code, l.extra])).toEqual([
      ['梁秀英', '18677150001', '1978-01-01', '450109', '{"客户等级":"高贡献"}'],
      ['农志强', '18677150002', null, '450123', '{"客户等级":"一般"}']
    ])
    expect(reportRows(env.core, r.batchId)).toEqual([
      { row_no: 8, outcome: 'duplicate_in_file', reason: 'duplicateInFile', detail: '4' }
    ])
  })

  it.each([
    ['empty.csv', 'errors.emptyFile'],
    ['image-renamed.csv', 'errors.notASpreadsheet'],
    ['no-phone.csv', 'errors.noPhoneColumn']
  ])('%s is refused with %s and changes nothing', async (file, key) => {
    const before = fingerprint(env.core, { withAudit: true })
    const err = await env.core.leads.importFile(fixture(file), opts(file), {}, 'test').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'INVALID_INPUT', key })
    expect(fingerprint(env.core, { withAudit: true })).toBe(before)
  })

  it('the error names the problem in Chinese', async () => {
    const err = (await env.core.leads
      .importFile(fixture('image-renamed.csv'), opts('x.csv'), {}, 'test')
      .catch((e: unknown) => e)) as { toShape(l: string): { message: string } }
    expect(err.toShape('zh-CN').message).toBe('这不是表格文件（看起来是 PNG 文件）。请选择 CSV 或 XLSX 文件')
    const noPhone = (await env.core.leads
      .importFile(fixture('no-phone.csv'), opts('x.csv'), {}, 'test')
      .catch((e: unknown) => e)) as { toShape(l: string): { message: string } }
    expect(noPhone.toShape('zh-CN').message).toContain('找不到手机号码列。表头为：姓名、地址')
    // bytes that are not text, with no known signature: said in Chinese, no English word in it
    const junk = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 32))
    const binary = (await env.core.leads.importFile(junk, opts('x.csv'), {}, 'test').catch((e: unknown) => e)) as {
      key: string
      toShape(l: string): { message: string }
    }
    expect(binary.key).toBe('errors.binaryFile')
    expect(binary.toShape('zh-CN').message).toMatch(/^这不是表格文件（内容不是文字/)
  })
})

describe('duplicates against the pool', () => {
  beforeEach(async () => {
    await env.core.leads.importFile(fixture('gbk.csv'), opts('gbk.csv'), {}, 'test')
  })
  const second = Buffer.from('姓名,手机,地址,职业\n,13977120001,,教师\n新人,13977120009,江南区,\n', 'utf8')

  it('skip: the existing lead is left alone and reported', async () => {
    const r = await env.core.leads.importFile(second, opts('b.csv'), {}, 'test')
    expect(r).toMatchObject({ rows: 2, imported: 1, duplicatesInPool: 1 })
    expect(env.core.db.prepare("SELECT occupation FROM leads WHERE phone='13977120001'").pluck().get()).toBeNull()
    expect(reportRows(env.core, r.batchId)).toEqual([
      { row_no: 2, outcome: 'duplicate_in_pool', reason: 'alreadyInPool', detail: null }
    ])
  })

  it('fill: empty fields of the existing lead are filled, filled ones kept', async () => {
    await env.core.leads.importFile(second, opts('b.csv', { policy: 'fill' }), {}, 'test')
    expect(env.core.db.prepare("SELECT name, occupation FROM leads WHERE phone='13977120001'").get()).toEqual({
      name: '韦小宝',
      occupation: '教师'
    })
  })

  it('attach: the existing lead joins the new batch', async () => {
    const r = await env.core.leads.importFile(second, opts('b.csv', { policy: 'attach' }), {}, 'test')
    expect(env.core.db.prepare('SELECT count(*) FROM lead_batches WHERE batch_id = ?').pluck().get(r.batchId)).toBe(1)
  })
})

describe('safety', () => {
  it('a cancel half way leaves the pool exactly as it was', async () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `客户${i},139${String(i).padStart(8, '0')},南宁市青秀区`
    ).join('\n')
    const big = Buffer.from(`姓名,手机,地址\n${rows}\n`)
    const before = fingerprint(env.core, { withAudit: true })
    let seen = 0
    const err = await env.core.leads
      .importFile(big, opts('big.csv'), { onProgress: (d) => (seen = d), isCancelled: () => seen >= 10_000 }, 'test')
      .catch((e: unknown) => e)
    expect((err as Error).message).toBe('import cancelled')
    expect(seen).toBeGreaterThanOrEqual(10_000)
    expect(fingerprint(env.core, { withAudit: true })).toBe(before)
    expect(env.core.db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(0)
  })
})
