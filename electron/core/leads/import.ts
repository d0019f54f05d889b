import type Database from 'better-sqlite3'
import { DistrictsRepo } from '../districts/repo'
import { LEAD_FIELDS, suggestMapping, type LeadField } from '../../../shared/domain/lead-columns'
import { AppError } from '../errors'
import { ftsText } from './fts'
import { LEAD, STRIDE } from './prepare'
import type { RowSource } from './row-source'

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
  /** Called after every chunk of rows. */
  onProgress?: (done: number, total: number) => void
  /** Checked as often; true stops the import and leaves the pool as it was. */
  isCancelled?: () => boolean
}

export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled')
  }
}

export function resolveMapping(headers: string[], mapping?: (LeadField | null)[]): (LeadField | null)[] {
  const m = mapping ?? suggestMapping(headers)
  if (m.length !== headers.length) throw new AppError('INVALID_INPUT', 'errors.mappingMismatch')
  if (!m.includes('phone'))
    throw new AppError('INVALID_INPUT', 'errors.noPhoneColumn', {
      headers: headers.filter(Boolean).slice(0, 8).join('、')
    })
  const seen = new Set<string>()
  for (const f of m) {
    if (!f) continue
    if (!(LEAD_FIELDS as readonly string[]).includes(f) || seen.has(f))
      throw new AppError('INVALID_INPUT', 'errors.mappingMismatch')
    seen.add(f)
  }
  return m
}

const OUTCOME_COUNTER = {
  invalid: 'invalid',
  duplicate_in_file: 'duplicatesInFile',
  dnc: 'dnc'
} as const satisfies Record<string, keyof ImportCounts>

/**
 * Imports prepared rows (prepare.ts, from this thread or the parse thread) into the pool in ONE
 * transaction: dedupe against the pool by policy, write the leads, the batch record and the
 * per-row report. A cancel, an error or a killed process leaves the pool exactly as it was. The
 * search index catches up after the commit (fts.ts).
 */
export function importRows(
  db: Database.Database,
  src: RowSource,
  opts: ImportOptions,
  hooks: ImportHooks
): ImportResult {
  try {
    const mapping = resolveMapping(src.meta.headers, opts.mapping)
    const now = hooks.now.toISOString()
    const districts = new DistrictsRepo(db).list()
    // The do-not-call list is read once and checked in a hash while rows are prepared.
    const dnc = (
      db.prepare('SELECT phone, reason FROM dnc WHERE expires_at IS NULL OR expires_at > ?').all(now) as {
        phone: string
        reason: string
      }[]
    ).map((d) => [d.phone, d.reason] as [string, string])
    src.start({ mapping, defaultAreaCode: opts.defaultAreaCode, districts, dnc, today: now.slice(0, 10) })

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
    const fill = db.prepare(
      `UPDATE leads SET name = coalesce(nullif(name, ''), ?), gender = coalesce(gender, ?), birth_date = coalesce(birth_date, ?),
         id_no = coalesce(id_no, ?), address = coalesce(nullif(address, ''), ?), district_code = coalesce(district_code, ?),
         employer = coalesce(employer, ?), occupation = coalesce(occupation, ?), note = coalesce(note, ?), updated_at = ?
       WHERE id = ?`
    )
    const refreshFts = db.prepare('SELECT name, phone, address FROM leads WHERE id = ?')
    const delFts = db.prepare('DELETE FROM leads_fts WHERE rowid = ?')
    const attach = db.prepare('INSERT OR IGNORE INTO lead_batches (lead_id, batch_id) VALUES (?, ?)')
    const insRow = db.prepare(
      'INSERT OR IGNORE INTO import_rows (batch_id, row_no, outcome, reason, detail, lead_id, raw) VALUES (?, ?, ?, ?, ?, ?, ?)'
    )
    const finish = db.prepare(
      `UPDATE import_batches SET rows = ?, imported = ?, duplicates_in_file = ?, duplicates_in_pool = ?, invalid = ?, dnc = ? WHERE id = ?`
    )
    const saveMapping = db.prepare(
      `INSERT INTO import_mappings (source, mapping, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`
    )
    const { meta } = src

    const run = db.transaction((): ImportResult => {
      const named = Object.fromEntries(mapping.map((f, i) => [i, f ?? meta.headers[i]]))
      const batchId = Number(
        insBatch.run(
          opts.campaignId,
          opts.fileName,
          opts.source,
          meta.kind,
          meta.encoding,
          meta.sheet,
          opts.policy,
          JSON.stringify({ headers: meta.headers, fields: mapping, named }),
          opts.userId,
          now
        ).lastInsertRowid
      )
      const c: ImportCounts = {
        rows: 0,
        imported: 0,
        duplicatesInFile: 0,
        duplicatesInPool: 0,
        invalid: 0,
        dnc: 0,
        warnings: 0
      }
      hooks.onProgress?.(0, meta.total)
      for (let chunk = src.next(); chunk; chunk = src.next()) {
        if (hooks.isCancelled?.()) throw new ImportCancelled()
        for (let i = 0; i < chunk.length; i += STRIDE) {
          c.rows++
          const rowNo = chunk[i + 1] as number
          if (chunk[i] !== LEAD) {
            const outcome = chunk[i + 2] as keyof typeof OUTCOME_COUNTER
            c[OUTCOME_COUNTER[outcome]]++
            insRow.run(batchId, rowNo, outcome, chunk[i + 3], chunk[i + 4], null, chunk[i + 5])
            continue
          }
          // Read in place: a million rows, so no array per row.
          const v = chunk as (string | null)[]
          const phone = v[i + 2]!
          const name = v[i + 4]
          const gender = v[i + 5]
          const birthDate = v[i + 6]
          const idNo = v[i + 7]
          const address = v[i + 8]
          const district = v[i + 9]
          const employer = v[i + 10]
          const occupation = v[i + 11]
          const note = v[i + 12]
          const warning = v[i + 14]
          const raw = v[i + 16]
          const r = insLead.run(
            opts.campaignId,
            phone,
            v[i + 3],
            name,
            gender,
            birthDate,
            idNo,
            address,
            district,
            employer,
            occupation,
            note,
            v[i + 13],
            batchId,
            now,
            now
          )
          if (r.changes === 1) {
            c.imported++
            if (warning) {
              c.warnings++
              insRow.run(batchId, rowNo, 'warning', warning, v[i + 15], Number(r.lastInsertRowid), raw)
            }
            continue
          }
          // Already in the pool.
          const leadId = existing.get(phone) as number
          c.duplicatesInPool++
          const rawCells = raw ?? '[]'
          if (opts.policy === 'fill') {
            fill.run(name, gender, birthDate, idNo, address, district, employer, occupation, note, now, leadId)
            if (leadId <= (ftsUpto.get() as number)) {
              const l = refreshFts.get(leadId) as { name: string | null; phone: string; address: string | null }
              delFts.run(leadId)
              insFts.run(leadId, ftsText(l.name, l.phone, l.address))
            }
            insRow.run(batchId, rowNo, 'duplicate_in_pool', 'mergedIntoExisting', null, leadId, rawCells)
          } else if (opts.policy === 'attach') {
            attach.run(leadId, batchId)
            insRow.run(batchId, rowNo, 'duplicate_in_pool', 'attachedToBatch', null, leadId, rawCells)
          } else {
            insRow.run(batchId, rowNo, 'duplicate_in_pool', 'alreadyInPool', null, leadId, rawCells)
          }
        }
        hooks.onProgress?.(c.rows, meta.total)
      }
      if (hooks.isCancelled?.()) throw new ImportCancelled()
      finish.run(c.rows, c.imported, c.duplicatesInFile, c.duplicatesInPool, c.invalid, c.dnc, batchId)
      saveMapping.run(opts.source, JSON.stringify(Object.fromEntries(meta.headers.map((h, i) => [h, mapping[i]]))), now)
      return { batchId, ...c }
    })
    return run.immediate()
  } finally {
    src.close()
  }
}
