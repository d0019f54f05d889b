import type Database from 'better-sqlite3'
import { createDistrictMatcher, type DistrictLike } from '../../../shared/domain/address'
import { parseIdCard } from '../../../shared/domain/id-card'
import { LEAD_FIELDS, suggestMapping, type LeadField } from '../../../shared/domain/lead-columns'
import { isPhoneProblem, normalisePhone } from '../../../shared/domain/phone'
import { AppError } from '../errors'
import { excelSerialToDate, type Table } from './read-table'
import { ftsText } from './fts'

export type DuplicatePolicy = 'skip' | 'fill' | 'attach'

export interface ImportOptions {
  fileName: string
  source: string
  campaignId: number
  policy: DuplicatePolicy
  /** Column index → field (null: keep as a custom field). Suggested from the headers when absent. */
  mapping?: (LeadField | null)[]
  userId: number | null
  /** Area code put before bare 7–8 digit local numbers (0771 for Nanning). */
  defaultAreaCode?: string
}

export interface ImportCounts {
  rows: number
  imported: number
  duplicatesInFile: number
  duplicatesInPool: number
  invalid: number
  dnc: number
  warnings: number
}

export interface ImportResult extends ImportCounts {
  batchId: number
}

export interface ImportHooks {
  now: Date
  /** Called every few thousand rows. */
  onProgress?: (done: number, total: number) => void
  /** Checked as often; true stops the import and leaves the pool as it was. */
  isCancelled?: () => boolean
}

export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled')
  }
}

const PROGRESS_EVERY = 5000

function parseGender(s: string): 'M' | 'F' | null {
  const t = s.trim().toLowerCase()
  if (['男', 'm', 'male', '先生', '1'].includes(t)) return 'M'
  if (['女', 'f', 'female', '女士', '2', '0'].includes(t)) return 'F'
  return null
}

/**
 * 1985-03-15, 1985/3/15, 1985.3.15, 19850315, 1985年3月15日 → 1985-03-15; and a bare day number
 * (28491), which is what a spreadsheet date becomes when its cell lost the date format.
 */
function parseDate(s: string): string | null {
  const t = s.trim()
  if (/^\d{5}$/.test(t) && Number(t) < 73050) return excelSerialToDate(Number(t))
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || y < 1900) return null
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

export function resolveMapping(table: Table, mapping?: (LeadField | null)[]): (LeadField | null)[] {
  const m = mapping ?? suggestMapping(table.headers)
  if (m.length !== table.headers.length) throw new AppError('INVALID_INPUT', 'errors.mappingMismatch')
  if (!m.includes('phone')) throw new AppError('INVALID_INPUT', 'errors.noPhoneColumn', { headers: table.headers.filter(Boolean).slice(0, 8).join('、') })
  const seen = new Set<string>()
  for (const f of m) {
    if (!f) continue
    if (!(LEAD_FIELDS as readonly string[]).includes(f) || seen.has(f)) throw new AppError('INVALID_INPUT', 'errors.mappingMismatch')
    seen.add(f)
  }
  return m
}

/**
 * Imports a table into the pool in ONE transaction: parse, normalise, dedupe (in the file and
 * against the pool), check the do-not-call list, detect the district, write the leads, the
 * search index, the batch record and the per-row report. A cancel, an error or a killed process
 * leaves the pool exactly as it was.
 */
export function importTable(db: Database.Database, table: Table, opts: ImportOptions, hooks: ImportHooks): ImportResult {
  const mapping = resolveMapping(table, opts.mapping)
  const col = (f: LeadField) => mapping.indexOf(f)
  const ci = {
    name: col('name'),
    phone: col('phone'),
    gender: col('gender'),
    birthDate: col('birthDate'),
    idNo: col('idNo'),
    address: col('address'),
    employer: col('employer'),
    occupation: col('occupation'),
    note: col('note')
  }
  const customCols = mapping.map((f, i) => (f === null && table.headers[i] ? i : -1)).filter((i) => i >= 0)
  const now = hooks.now.toISOString()
  const today = now.slice(0, 10)
  const districts = db.prepare('SELECT code, name, city, aliases FROM districts').all() as (Omit<DistrictLike, 'aliases'> & { aliases: string })[]
  const matcher = createDistrictMatcher(districts.map((d) => ({ ...d, aliases: JSON.parse(d.aliases) as string[] })))

  const insBatch = db.prepare(
    `INSERT INTO import_batches (campaign_id, file_name, source, kind, encoding, sheet, policy, mapping, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const insLead = db.prepare(
    `INSERT OR IGNORE INTO leads (campaign_id, phone, phone_kind, name, gender, birth_date, id_no, address, district_code,
       employer, occupation, note, extra, batch_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const insFts = db.prepare('INSERT INTO leads_fts (rowid, txt) VALUES (?, ?)')
  const ftsUpto = db.prepare('SELECT upto FROM leads_fts_state WHERE id = 1').pluck()
  const existing = db.prepare('SELECT id FROM leads WHERE phone = ?').pluck()
  // The do-not-call list is read once: one lookup per row in a hash beats one per row in SQLite.
  const dnc = new Map(
    (db.prepare('SELECT phone, reason FROM dnc WHERE expires_at IS NULL OR expires_at > ?').all(now) as { phone: string; reason: string }[]).map((d) => [d.phone, d.reason])
  )
  const fill = db.prepare(
    `UPDATE leads SET name = coalesce(nullif(name, ''), ?), gender = coalesce(gender, ?), birth_date = coalesce(birth_date, ?),
       id_no = coalesce(id_no, ?), address = coalesce(nullif(address, ''), ?), district_code = coalesce(district_code, ?),
       employer = coalesce(employer, ?), occupation = coalesce(occupation, ?), note = coalesce(note, ?), updated_at = ?
     WHERE id = ?`
  )
  const refreshFts = db.prepare('SELECT name, phone, address FROM leads WHERE id = ?')
  const delFts = db.prepare('DELETE FROM leads_fts WHERE rowid = ?')
  const attach = db.prepare('INSERT OR IGNORE INTO lead_batches (lead_id, batch_id) VALUES (?, ?)')
  const insRow = db.prepare('INSERT OR IGNORE INTO import_rows (batch_id, row_no, outcome, reason, detail, lead_id, raw) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const finish = db.prepare(
    `UPDATE import_batches SET rows = ?, imported = ?, duplicates_in_file = ?, duplicates_in_pool = ?, invalid = ?, dnc = ? WHERE id = ?`
  )
  const saveMapping = db.prepare(
    `INSERT INTO import_mappings (source, mapping, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (source) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`
  )

  const run = db.transaction((): ImportResult => {
    const headerNames = Object.fromEntries(mapping.map((f, i) => [i, f ?? table.headers[i]]))
    const batchId = Number(
      insBatch.run(opts.campaignId, opts.fileName, opts.source, table.kind, table.encoding, table.sheet, opts.policy, JSON.stringify({ headers: table.headers, fields: mapping, named: headerNames }), opts.userId, now)
        .lastInsertRowid
    )
    const c: ImportCounts = { rows: 0, imported: 0, duplicatesInFile: 0, duplicatesInPool: 0, invalid: 0, dnc: 0, warnings: 0 }
    const firstRowOf = new Map<string, number>()
    const total = table.rows.length
    const report = (rowNo: number, outcome: string, reason: string, cells: string[], detail: string | null = null, leadId: number | null = null) =>
      insRow.run(batchId, rowNo, outcome, reason, detail, leadId, JSON.stringify(cells))
    const get = (cells: string[], i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '')

    for (let k = 0; k < total; k++) {
      if (k % PROGRESS_EVERY === 0) {
        if (hooks.isCancelled?.()) throw new ImportCancelled()
        hooks.onProgress?.(k, total)
      }
      const { rowNo, cells } = table.rows[k]
      c.rows++
      const p = normalisePhone(get(cells, ci.phone), opts.defaultAreaCode)
      if (isPhoneProblem(p)) {
        c.invalid++
        report(rowNo, 'invalid', `phone.${p.problem}`, cells, get(cells, ci.phone))
        continue
      }
      const first = firstRowOf.get(p.phone)
      if (first !== undefined) {
        c.duplicatesInFile++
        report(rowNo, 'duplicate_in_file', 'duplicateInFile', cells, String(first))
        continue
      }
      firstRowOf.set(p.phone, rowNo)
      const dncReason = dnc.get(p.phone)
      if (dncReason !== undefined) {
        c.dnc++
        report(rowNo, 'dnc', 'onDoNotCallList', cells, dncReason)
        continue
      }

      const name = get(cells, ci.name) || null
      let gender = ci.gender >= 0 ? parseGender(get(cells, ci.gender)) : null
      let birthDate = ci.birthDate >= 0 ? parseDate(get(cells, ci.birthDate)) : null
      let idNo: string | null = null
      const rawId = get(cells, ci.idNo)
      let warning: string | null = null
      if (rawId) {
        const id = parseIdCard(rawId, today)
        if ('problem' in id) warning = `idNo.${id.problem}`
        else {
          idNo = id.idNo
          gender ??= id.gender
          birthDate ??= id.birthDate
        }
      }
      const address = get(cells, ci.address) || null
      const district = address ? matcher.match(address) : null
      let extra: string | null = null
      if (customCols.length) {
        const o: Record<string, string> = {}
        for (const i of customCols) if (cells[i]?.trim()) o[table.headers[i]] = cells[i].trim()
        if (Object.keys(o).length) extra = JSON.stringify(o)
      }
      const employer = get(cells, ci.employer) || null
      const occupation = get(cells, ci.occupation) || null
      const note = get(cells, ci.note) || null

      const r = insLead.run(opts.campaignId, p.phone, p.kind, name, gender, birthDate, idNo, address, district, employer, occupation, note, extra, batchId, now, now)
      if (r.changes === 1) {
        // The search index catches up right after the import commits (fts.ts): writing it here
        // would double the time the pool is locked.
        const id = Number(r.lastInsertRowid)
        c.imported++
        if (warning) {
          c.warnings++
          report(rowNo, 'warning', warning, cells, rawId, id)
        }
        continue
      }
      // Already in the pool.
      const leadId = existing.get(p.phone) as number
      c.duplicatesInPool++
      if (opts.policy === 'fill') {
        fill.run(name, gender, birthDate, idNo, address, district, employer, occupation, note, now, leadId)
        if (leadId <= (ftsUpto.get() as number)) {
          const l = refreshFts.get(leadId) as { name: string | null; phone: string; address: string | null }
          delFts.run(leadId)
          insFts.run(leadId, ftsText(l.name, l.phone, l.address))
        }
        report(rowNo, 'duplicate_in_pool', 'mergedIntoExisting', cells, null, leadId)
      } else if (opts.policy === 'attach') {
        attach.run(leadId, batchId)
        report(rowNo, 'duplicate_in_pool', 'attachedToBatch', cells, null, leadId)
      } else {
        report(rowNo, 'duplicate_in_pool', 'alreadyInPool', cells, null, leadId)
      }
    }
    if (hooks.isCancelled?.()) throw new ImportCancelled()
    finish.run(c.rows, c.imported, c.duplicatesInFile, c.duplicatesInPool, c.invalid, c.dnc, batchId)
    saveMapping.run(opts.source, JSON.stringify(Object.fromEntries(table.headers.map((h, i) => [h, mapping[i]]))), now)
    hooks.onProgress?.(total, total)
    return { batchId, ...c }
  })
  return run.immediate()
}
