import type Database from 'better-sqlite3'
import { DistrictsRepo } from '../districts/repo'
import { LEAD_FIELDS, suggestMapping, type LeadField } from '../../../shared/domain/lead-columns'
import { AppError } from '../errors'
import { ImportRepo } from './import-repo'
import { LEAD, STRIDE } from './prepare'
import type { RowSource } from './row-source'
import { outsideCity, outsideProvince, type PhoneAreaRules } from '../phone/area'

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
  /** The centre's area, and the campaign's rule for numbers from outside it (none: all accepted, none counted). */
  area?: PhoneAreaRules
}

export interface ImportCounts {
  rows: number
  imported: number
  duplicatesInFile: number
  duplicatesInPool: number
  invalid: number
  dnc: number
  warnings: number
  /** Imported numbers from another city than the centre's … */
  outsideCity: number
  /** … of which from another province. */
  outsideProvince: number
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
    const repo = new ImportRepo(db)
    // The do-not-call list is read once and checked in a hash while rows are prepared.
    src.start({
      mapping,
      defaultAreaCode: opts.defaultAreaCode,
      districts,
      dnc: repo.dnc(now),
      today: now.slice(0, 10),
      area: opts.area
    })
    const { meta } = src

    const run = db.transaction((): ImportResult => {
      const named = Object.fromEntries(mapping.map((f, i) => [i, f ?? meta.headers[i]]))
      const batchId = repo.addBatch(
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
      )
      const c: ImportCounts = {
        rows: 0,
        imported: 0,
        duplicatesInFile: 0,
        duplicatesInPool: 0,
        invalid: 0,
        dnc: 0,
        warnings: 0,
        outsideCity: 0,
        outsideProvince: 0
      }
      const area = opts.area
      hooks.onProgress?.(0, meta.total)
      for (let chunk = src.next(); chunk; chunk = src.next()) {
        if (hooks.isCancelled?.()) throw new ImportCancelled()
        for (let i = 0; i < chunk.length; i += STRIDE) {
          c.rows++
          const rowNo = chunk[i + 1] as number
          if (chunk[i] !== LEAD) {
            const outcome = chunk[i + 2] as keyof typeof OUTCOME_COUNTER
            c[OUTCOME_COUNTER[outcome]]++
            repo.row(batchId, rowNo, outcome, chunk[i + 3], chunk[i + 4], null, chunk[i + 5])
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
          const province = v[i + 17]
          const city = v[i + 18]
          const newId = repo.addLead(
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
            now,
            province,
            city,
            v[i + 19]
          )
          if (newId) {
            c.imported++
            if (area && province) {
              const region = { province, city: city ?? '' }
              if (outsideCity(region, area)) c.outsideCity++
              if (outsideProvince(region, area)) c.outsideProvince++
            }
            if (warning) {
              c.warnings++
              repo.row(batchId, rowNo, 'warning', warning, v[i + 15], newId, raw)
            }
            continue
          }
          // Already in the pool.
          const leadId = repo.leadOfPhone(phone)
          c.duplicatesInPool++
          const rawCells = raw ?? '[]'
          if (opts.policy === 'fill') {
            repo.fill(leadId, name, gender, birthDate, idNo, address, district, employer, occupation, note, now)
            repo.row(batchId, rowNo, 'duplicate_in_pool', 'mergedIntoExisting', null, leadId, rawCells)
          } else if (opts.policy === 'attach') {
            repo.attach(leadId, batchId)
            repo.row(batchId, rowNo, 'duplicate_in_pool', 'attachedToBatch', null, leadId, rawCells)
          } else {
            repo.row(batchId, rowNo, 'duplicate_in_pool', 'alreadyInPool', null, leadId, rawCells)
          }
        }
        hooks.onProgress?.(c.rows, meta.total)
      }
      if (hooks.isCancelled?.()) throw new ImportCancelled()
      repo.finish(batchId, c)
      repo.saveMapping(
        opts.source,
        JSON.stringify(Object.fromEntries(meta.headers.map((h, i) => [h, mapping[i]]))),
        now
      )
      return { batchId, ...c }
    })
    return run.immediate()
  } finally {
    src.close()
  }
}
