import iconv from 'iconv-lite'
import ExcelJS from 'exceljs'
import { checkZipDirectory } from './zip-check'
import { AppError } from '../errors'
import { headerScore } from '../../../shared/domain/lead-columns'
import { excelSerialToDate } from './prepare'

/** A spreadsheet as rows of text, whatever it came as. */
export interface Table {
  kind: 'csv' | 'xlsx'
  encoding: string | null
  delimiter: string | null
  sheet: string | null
  sheets: string[]
  headerRowNo: number
  headers: string[]
  /** Data rows with their 1-based row number in the file (line of the record's start for CSV). */
  rows: Row[]
}

export interface ReadOptions {
  /** 'utf-8' | 'gb18030' | 'gbk' | 'utf-16le'; detected when absent. */
  encoding?: string
  delimiter?: string
  sheet?: string
}

export const ENCODINGS = ['utf-8', 'gb18030', 'gbk', 'utf-16le'] as const

const MAGIC: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'PNG'],
  [[0xff, 0xd8, 0xff], 'JPEG'],
  [[0x25, 0x50, 0x44, 0x46], 'PDF'],
  [[0x47, 0x49, 0x46, 0x38], 'GIF'],
  [[0x1f, 0x8b], 'gzip'],
  [[0x52, 0x61, 0x72, 0x21], 'RAR'],
  [[0x37, 0x7a, 0xbc, 0xaf], '7z']
]

function startsWith(buf: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => buf[i] === b)
}

function notASpreadsheet(what: string): never {
  throw new AppError('INVALID_INPUT', 'errors.notASpreadsheet', { what })
}

/** Reads CSV (UTF-8 with or without BOM, GBK/GB18030, UTF-16) or XLSX into rows of text. */
export async function readTable(buf: Buffer, opts: ReadOptions = {}): Promise<Table> {
  return sniff(buf) === 'xlsx' ? readXlsx(buf, opts) : readCsv(buf, opts)
}

/** What kind of file this is; refuses what is no spreadsheet at all. */
export function sniff(buf: Buffer): 'csv' | 'xlsx' {
  if (buf.length === 0) throw new AppError('INVALID_INPUT', 'errors.emptyFile')
  for (const [sig, what] of MAGIC) if (startsWith(buf, sig)) notASpreadsheet(what)
  if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0])) throw new AppError('INVALID_INPUT', 'errors.oldXls')
  return startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) ? 'xlsx' : 'csv'
}

/**
 * A CSV file read as it is worked on: the header now, the data rows as they are asked for (the
 * import's parse thread starts preparing before the whole file is split into rows). Same header
 * rule and padding as readTable.
 */
export function streamCsv(buf: Buffer, opts: ReadOptions) {
  const { text, encoding, delimiter } = decodeCsv(buf, opts)
  const it = csvRows(text, delimiter)
  const head: Row[] = []
  for (let r = it.next(); !r.done; r = it.next()) {
    if (isNonEmpty(r.value)) head.push(r.value)
    if (head.length >= HEADER_SEARCH_ROWS) break
  }
  if (!head.length) throw new AppError('INVALID_INPUT', 'errors.emptyFile')
  const hi = pickHeader(head)
  const header = head[hi]
  const width = header.cells.length
  function* rows(): Generator<Row> {
    for (const r of head.slice(hi + 1)) yield padRow(r, width)
    for (let r = it.next(); !r.done; r = it.next()) if (isNonEmpty(r.value)) yield padRow(r.value, width)
  }
  let lines = 0
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) lines++
  return {
    encoding,
    headers: header.cells.map((c) => c.trim()),
    rows: rows(),
    /** For progress: lines after the header (a quoted newline counts too). */
    estimatedRows: Math.max(1, lines - header.rowNo + (text.endsWith('\n') ? 0 : 1))
  }
}

/** The file as text if it is valid UTF-8 (BOM stripped), else null. */
function tryUtf8(buf: Buffer): string | null {
  if (startsWith(buf, [0xff, 0xfe])) return null
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf)
  } catch {
    return null
  }
}

export function detectEncoding(buf: Buffer): string {
  if (startsWith(buf, [0xef, 0xbb, 0xbf])) return 'utf-8'
  if (startsWith(buf, [0xff, 0xfe])) return 'utf-16le'
  // Not UTF-8: Excel on Chinese Windows writes GBK; GB18030 is its superset.
  return tryUtf8(buf) !== null ? 'utf-8' : 'gb18030'
}

function decode(buf: Buffer, encoding: string): string {
  if (!iconv.encodingExists(encoding)) throw new AppError('INVALID_INPUT', 'errors.unknownEncoding', { encoding })
  return checkText(iconv.decode(buf, encoding), encoding) // iconv strips a BOM
}

function checkText(text: string, encoding: string): string {
  // Binary junk decodes to control characters; a text file has almost none.
  const sample = text.slice(0, 4096)
  // eslint-disable-next-line no-control-regex -- counting control characters is the point
  const ctrl = sample.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0
  if (ctrl > sample.length / 50) throw new AppError('INVALID_INPUT', 'errors.binaryFile')
  // Many replacement characters: the encoding chosen does not fit the file.
  const bad = sample.match(/\ufffd/g)?.length ?? 0
  if (bad > 3 && bad > sample.length / 200) throw new AppError('INVALID_INPUT', 'errors.wrongEncoding', { encoding })
  return text
}

export function detectDelimiter(text: string): string {
  const lines = text
    .slice(0, 64 * 1024)
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 20)
  let best = ','
  let bestScore = -1
  for (const d of [',', '\t', ';', '|']) {
    const counts = lines.map((l) => countOutsideQuotes(l, d))
    const nonZero = counts.filter((c) => c > 0)
    if (!nonZero.length) continue
    // consistent counts across lines beat many delimiters on one line
    const mode = nonZero.sort(
      (a, b) => nonZero.filter((x) => x === b).length - nonZero.filter((x) => x === a).length
    )[0]
    const score = counts.filter((c) => c === mode).length * 100 + mode
    if (score > bestScore) {
      bestScore = score
      best = d
    }
  }
  return best
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0
  let q = false
  for (const ch of line) {
    if (ch === '"') q = !q
    else if (!q && ch === d) n++
  }
  return n
}

/** RFC 4180 CSV: quoted fields may hold delimiters, quotes ("") and newlines. */
export function parseCsv(text: string, d: string): Row[] {
  return Array.from(csvRows(text, d))
}

export interface Row {
  rowNo: number
  cells: string[]
}

/** The records of a CSV text one by one, so a big file can be worked on while it is read. */
export function* csvRows(text: string, d: string): Generator<Row> {
  const n = text.length
  const dc = d.charCodeAt(0)
  let i = 0
  let line = 1
  while (i < n) {
    const rowNo = line
    const cells: string[] = []
    for (;;) {
      if (text.charCodeAt(i) === 34 /* " */) {
        let val = ''
        let j = i + 1
        for (;;) {
          const q = text.indexOf('"', j)
          if (q < 0) {
            val += text.slice(j)
            j = n
            break
          }
          val += text.slice(j, q)
          if (text.charCodeAt(q + 1) === 34) {
            val += '"'
            j = q + 2
          } else {
            j = q + 1
            break
          }
        }
        for (let k = val.indexOf('\n'); k >= 0; k = val.indexOf('\n', k + 1)) line++
        // anything between the closing quote and the delimiter is kept, as spreadsheets do
        let end = j
        for (let c = text.charCodeAt(end); end < n && c !== dc && c !== 10 && c !== 13; c = text.charCodeAt(++end));
        cells.push(val + text.slice(j, end))
        i = end
      } else {
        let end = i
        while (end < n) {
          const c = text.charCodeAt(end)
          if (c === 10 || c === 13 || c === dc) break
          end++
        }
        cells.push(text.slice(i, end))
        i = end
      }
      if (i < n && text.charCodeAt(i) === dc) {
        i++
        continue
      }
      break
    }
    if (text.charCodeAt(i) === 13) i++
    if (text.charCodeAt(i) === 10) i++
    line++
    yield { rowNo, cells }
  }
}

function readCsv(buf: Buffer, opts: ReadOptions): Table {
  const { text, encoding, delimiter } = decodeCsv(buf, opts)
  return withHeader({ kind: 'csv', encoding, delimiter, sheet: null, sheets: [] }, parseCsv(text, delimiter))
}

/** A CSV file as text, with its encoding and delimiter (detected unless given). */
export function decodeCsv(buf: Buffer, opts: ReadOptions): { text: string; encoding: string; delimiter: string } {
  let encoding = opts.encoding
  let text: string | null = null
  if (!encoding) {
    // Detecting UTF-8 decodes the whole file; keep that text rather than decode it twice.
    const utf8 = tryUtf8(buf)
    encoding = utf8 !== null ? 'utf-8' : detectEncoding(buf)
    if (utf8 !== null) text = checkText(utf8, encoding)
  }
  text ??= decode(buf, encoding)
  return { text, encoding, delimiter: opts.delimiter ?? detectDelimiter(text) }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) {
    // Excel dates are local midnights stored as UTC by exceljs.
    return v.toISOString().slice(0, 10)
  }
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v)
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('')
    if ('text' in v && typeof v.text === 'string') return v.text
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue)
    if ('error' in v) return ''
  }
  return String(v)
}

/** Date formats (yyyy-mm-dd, m/d/yy, yyyy"年"m"月"d"日" ...) but not number formats. */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false
  const bare = fmt.replace(/"[^"]*"|\[[^\]]*\]/g, '')
  return /[yd]/i.test(bare) || /m+[^a-z]*d|y+[^a-z]*m/i.test(bare)
}

async function readXlsx(buf: Buffer, opts: ReadOptions): Promise<Table> {
  checkZipDirectory(buf)
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer)
  } catch {
    notASpreadsheet('zip')
  }
  const sheets = wb.worksheets.map((w) => w.name)
  const ws = opts.sheet ? wb.getWorksheet(opts.sheet) : wb.worksheets[0]
  if (!ws)
    throw new AppError('INVALID_INPUT', opts.sheet ? 'errors.noSuchSheet' : 'errors.emptySheet', {
      sheet: opts.sheet ?? ''
    })
  const rows: { rowNo: number; cells: string[] }[] = []
  ws.eachRow({ includeEmpty: false }, (row, rowNo) => {
    const cells: string[] = []
    let plain = 0
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      // A merged area repeats its master's value in every cell: keep it once.
      const isSlave = cell.isMerged && cell.master.address !== cell.address
      const text = isSlave
        ? ''
        : isDateFormat(cell.numFmt) && typeof cell.value === 'number'
          ? excelSerialToDate(cell.value)
          : cellText(cell.value)
      if (text.trim() && !cell.isMerged) plain++
      cells[col - 1] = text
    })
    for (let k = 0; k < cells.length; k++) cells[k] ??= ''
    // A row whose only content sits in merged areas is a caption ("2026年11月 青秀区名单"), not data.
    if (plain === 0) return
    rows.push({ rowNo, cells })
  })
  return withHeader({ kind: 'xlsx', encoding: null, delimiter: null, sheet: ws.name, sheets }, rows)
}

/**
 * Finds the header row: the row among the first 20 non-empty ones that names the most known
 * fields (a title block or a merged caption above it is skipped); else the first non-empty row.
 */
function withHeader(base: Omit<Table, 'headerRowNo' | 'headers' | 'rows'>, all: Row[]): Table {
  const nonEmpty = all.filter(isNonEmpty)
  if (!nonEmpty.length)
    throw new AppError('INVALID_INPUT', base.kind === 'xlsx' ? 'errors.emptySheet' : 'errors.emptyFile', {
      sheet: base.sheet ?? ''
    })
  const headerIdx = pickHeader(nonEmpty)
  const header = nonEmpty[headerIdx]
  const width = header.cells.length
  return {
    ...base,
    headerRowNo: header.rowNo,
    headers: header.cells.map((c) => c.trim()),
    rows: nonEmpty.slice(headerIdx + 1).map((r) => padRow(r, width))
  }
}

export function isNonEmpty(r: Row): boolean {
  return r.cells.some((c) => c.trim() !== '')
}

/** Header rows to look through: a title block above the header is seldom longer. */
export const HEADER_SEARCH_ROWS = 20

/** Index, among the first non-empty rows, of the one naming the most known fields (else the first). */
export function pickHeader(nonEmpty: Row[]): number {
  let headerIdx = 0
  let best = 0
  nonEmpty.slice(0, HEADER_SEARCH_ROWS).forEach((r, i) => {
    const s = headerScore(r.cells.map((c) => c.trim()))
    if (s > best) {
      best = s
      headerIdx = i
    }
  })
  return headerIdx
}

/** Rows shorter than the header get empty cells, so every row has a cell per column. */
export function padRow(r: Row, width: number): Row {
  return r.cells.length >= width
    ? r
    : { rowNo: r.rowNo, cells: [...r.cells, ...Array<string>(width - r.cells.length).fill('')] }
}
