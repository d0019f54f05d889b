import type Database from 'better-sqlite3'
import { DistrictsRepo } from '../districts/repo'
import { LEAD_FIELDS, suggestMapping, type LeadField } from '../../../shared/domain/lead-columns'
import { AppError } from '../errors'
import { countsOf, ImportRepo, type WritingBatch } from './import-repo'
import { ImportStage } from './stage-repo'
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
  /** A few rows already in hand (the API): the do-not-call entries of these numbers only, not the whole list. */
  dncAmong?: string[]
  /** The districts, when the caller keeps them (else read for this import). */
  districts?: ReturnType<DistrictsRepo['list']>
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

/** An import reads and checks its list into a stage file first, then writes it into the pool. */
export type ImportPhase = 'reading' | 'writing'

export interface ImportHooks {
  now: Date
  /** Called after every chunk of rows read, and after every slice written. */
  onProgress?: (done: number, total: number, phase: ImportPhase) => void
  /** Checked while the list is read; true stops the import and leaves the pool as it was. */
  isCancelled?: () => boolean
  /** Awaited before each slice of writes, so that other writers (the hub's requests) go in between. */
  turn?: () => void | Promise<void>
  /** The batch exists: from here the import is finished, even across a crash, and can no longer be cancelled. */
  onCommitted?: (batchId: number) => void
}

/** Where an import stages its rows (stage-repo.ts). */
export interface StageTarget {
  file: string
  nativeBinding?: string
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

/** A slice aims at this long a hold on the write lock; its size follows the last slice's pace. */
const SLICE_MS = 25
const SLICE_MIN = 200
const SLICE_MAX = 20_000

/**
 * Imports prepared rows (prepare.ts, from this thread or the parse thread) into the pool. First the
 * whole list is read, checked and deduplicated into a stage file: a cancel, a bad file, an error or
 * a killed process up to then leaves the pool exactly as it was. Then the batch is created — the
 * import is committed — and its rows go into the pool a short transaction at a time (writeStaged),
 * so that no claim or outcome waits behind a big list; a crash in that phase is finished on the next
 * start (ImportJobs.resume). The search index catches up after (search-repo.ts).
 */
export async function importRows(
  db: Database.Database,
  src: RowSource,
  opts: ImportOptions,
  hooks: ImportHooks,
  target: StageTarget
): Promise<ImportResult> {
  let stage: ImportStage | null = null
  let mapping: (LeadField | null)[]
  const now = hooks.now.toISOString()
  const { meta } = src
  try {
    mapping = resolveMapping(meta.headers, opts.mapping)
    const repo = new ImportRepo(db)
    // The do-not-call list is read once and checked in a hash while rows are prepared.
    src.start({
      mapping,
      defaultAreaCode: opts.defaultAreaCode,
      districts: opts.districts ?? new DistrictsRepo(db).list(),
      dnc: repo.dnc(opts.campaignId, now, opts.dncAmong),
      today: now.slice(0, 10),
      area: opts.area
    })
    stage = new ImportStage(target.file, target.nativeBinding)
    let read = 0
    hooks.onProgress?.(0, meta.total, 'reading')
    for (let chunk = src.next(); chunk; chunk = src.next()) {
      if (hooks.isCancelled?.()) throw new ImportCancelled()
      read += stage.append(chunk)
      hooks.onProgress?.(read, meta.total, 'reading')
    }
    if (hooks.isCancelled?.()) throw new ImportCancelled()
    stage.sync()
  } catch (err) {
    stage?.discard()
    throw err
  } finally {
    src.close()
  }

  await hooks.turn?.()
  const named = Object.fromEntries(mapping.map((f, i) => [i, f ?? meta.headers[i]]))
  const batchId = new ImportRepo(db).addBatch(
    opts.campaignId,
    opts.fileName,
    opts.source,
    meta.kind,
    meta.encoding,
    meta.sheet,
    opts.policy,
    JSON.stringify({ headers: meta.headers, fields: mapping, named }),
    opts.userId,
    now,
    target.file,
    stage.count()
  )
  hooks.onCommitted?.(batchId)
  return writeStaged(db, batchId, stage, opts.area, hooks)
}

/**
 * Writes a committed batch's staged rows into the pool, a slice per transaction, each slice
 * recording how far it got; run again after a crash it goes on from there. The stage file is
 * deleted once every row is in.
 */
export async function writeStaged(
  db: Database.Database,
  batchId: number,
  stage: ImportStage,
  area: PhoneAreaRules | undefined,
  hooks: Pick<ImportHooks, 'onProgress' | 'turn'>
): Promise<ImportResult> {
  const repo = new ImportRepo(db)
  const first = repo.batch(batchId)
  if (!first) throw new Error(`import batch ${batchId} is missing`)
  const total = first.staged_rows
  let size = 2_000
  for (;;) {
    await hooks.turn?.()
    const t0 = performance.now()
    const step = db
      .transaction(() => {
        // read under the write lock: two writers of one batch never take the same rows
        const b = repo.batch(batchId)!
        if (b.state === 'done') return null
        const { records, next } = stage.read(b.applied_upto, size)
        if (!records.length) {
          const { headers, fields } = JSON.parse(b.mapping) as { headers: string[]; fields: (LeadField | null)[] }
          repo.saveMapping(
            b.source,
            JSON.stringify(Object.fromEntries(headers.map((h, i) => [h, fields[i]]))),
            b.created_at
          )
          repo.finish(batchId)
          return null
        }
        repo.addCounts(batchId, writeRecords(repo, b, records, area), next)
        return next
      })
      .immediate()
    if (step === null) break
    const ms = performance.now() - t0
    size = Math.max(SLICE_MIN, Math.min(SLICE_MAX, Math.round(size * (SLICE_MS / Math.max(ms, 1)))))
    hooks.onProgress?.(step, total, 'writing')
  }
  stage.discard()
  hooks.onProgress?.(total, total, 'writing')
  return { batchId, ...countsOf(repo.batch(batchId)!) }
}

/** One slice's records into the pool: new leads, duplicates by the batch's policy, the per-row report. */
function writeRecords(
  repo: ImportRepo,
  b: WritingBatch,
  chunk: unknown[],
  area: PhoneAreaRules | undefined
): ImportCounts {
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
  const batchId = b.id
  const now = b.created_at
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
      b.campaign_id,
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
      v[i + 19],
      chunk[i + 20] as number | null
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
    if (b.policy === 'fill') {
      repo.fill(
        leadId,
        name,
        gender,
        birthDate,
        chunk[i + 20] as number | null,
        idNo,
        address,
        district,
        employer,
        occupation,
        note,
        now
      )
      repo.row(batchId, rowNo, 'duplicate_in_pool', 'mergedIntoExisting', null, leadId, rawCells)
    } else if (b.policy === 'attach') {
      repo.attach(leadId, batchId)
      repo.row(batchId, rowNo, 'duplicate_in_pool', 'attachedToBatch', null, leadId, rawCells)
    } else {
      repo.row(batchId, rowNo, 'duplicate_in_pool', 'alreadyInPool', null, leadId, rawCells)
    }
  }
  return c
}
