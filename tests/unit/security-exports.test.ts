import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import type { CoreConnection } from '../../electron/core'
import { safeCell } from '../../electron/core/spreadsheet'
import { loginAs, makeCore, ok } from '../helpers/core'
import { upload } from '../helpers/upload'

/**
 * A list's cells reach the exports (the import report keeps a refused row's cells): a cell that a
 * spreadsheet would run as a formula when the file is opened is written as plain text.
 */
const FORMULAS = ['=HYPERLINK("http://evil.example","点我")', '+1+1', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1']

let env: Awaited<ReturnType<typeof makeCore>>
let sup: CoreConnection
beforeEach(async () => {
  env = await makeCore()
  sup = await loginAs(env.core, 'supervisor')
})
afterEach(() => env.cleanup())

async function importReport(format: 'csv' | 'xlsx'): Promise<Buffer> {
  // every row refused (no number), so each of its cells is in the report
  const rows = FORMULAS.map((f, i) => `${JSON.stringify(f)},,${JSON.stringify(`备注${i}${f}`)}`)
  const uploadId = await upload(sup, 'evil.csv', Buffer.from(`姓名,手机,备注\n${rows.join('\n')}\n`))
  const { jobId } = await ok<{ jobId: string }>(
    sup.invoke('leads.import', { uploadId, source: 'evil', policy: 'skip', mapping: ['name', 'phone', 'note'] })
  )
  let job: { state: string; result: { batchId: number } | null } = { state: 'running', result: null }
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, 20))
    job = await ok(sup.invoke('leads.importJob', { jobId }))
  }
  const { token } = await ok<{ token: string }>(
    sup.invoke('leads.importReport', { batchId: job.result!.batchId, format })
  )
  return Buffer.from((await ok<{ data: string }>(sup.invoke('downloads.read', { token }))).data, 'base64')
}

const live = (s: string) => /^[=+\-@\t\r]/.test(s)

describe('formula cells in exports', () => {
  it('the rule: text that would run is prefixed, numbers and other text pass', () => {
    for (const f of FORMULAS) expect(safeCell(f)).toBe(`'${f}`)
    expect(safeCell(-5)).toBe(-5)
    expect(safeCell('王芳')).toBe('王芳')
    expect(safeCell('138 0771 0001')).toBe('138 0771 0001')
  })

  it('the import report as CSV has no cell a spreadsheet would run', async () => {
    const text = (await importReport('csv')).toString('utf8').replace(/^\ufeff/, '')
    const wb = new ExcelJS.Workbook()
    // read back the way a spreadsheet does: the CSV parser of ExcelJS (quoted fields, CRLF rows)
    const ws = await wb.csv.read((await import('node:stream')).Readable.from([text]))
    const cells: string[] = []
    ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))))
    expect(cells.filter((c) => c.includes('HYPERLINK'))).toHaveLength(2)
    expect(cells.filter(live)).toEqual([])
    expect(cells.filter((c) => c.startsWith("'=HYPERLINK"))).toHaveLength(1)
  })

  it('the import report as XLSX has no formula and no cell that would run', async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await importReport('xlsx')) as unknown as ArrayBuffer)
    const cells: unknown[] = []
    wb.worksheets[0].eachRow((row) => row.eachCell((c) => cells.push(c.value)))
    expect(cells.filter((v) => typeof v === 'object' && v !== null && 'formula' in v)).toEqual([])
    expect(cells.filter((v) => typeof v === 'string' && live(v))).toEqual([])
    expect(cells).toContain("'@SUM(A1)")
  })
})
