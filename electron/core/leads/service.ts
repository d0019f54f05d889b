import { readFileSync } from 'node:fs'
import { carrierOf, regionOf } from '../phone/geo'
import type { CoreDeps } from '../context'
import { DistrictsRepo } from '../districts/repo'
import { importRows, writeStaged, type ImportHooks, type ImportOptions, type ImportResult } from './import'
import type { PhoneAreaRules } from '../phone/area'
import { ImportStage, newStageFile } from './stage-repo'
import { inThreadSource, openRowSource, previewOffThread } from './row-source'
import { readTable, type ReadOptions, type Table } from './read-table'
import { LeadSearch, type LeadFilter, type LeadRow } from './search-repo'
import { LeadsRepo } from './repo'
import { suggestMapping, type LeadField } from '../../../shared/domain/lead-columns'
import type { ImportPreview } from '../../../shared/contract'

const SAMPLE_ROWS = 10
/** A file up to this size is previewed on the calling thread (a few milliseconds); a bigger one on its own. */
const PREVIEW_IN_THREAD_BYTES = 1024 * 1024

/** How a campaign's import treats numbers (from the settings and the campaign). */
export type ImportRules = Required<Pick<ImportOptions, 'defaultAreaCode' | 'area'>>

/** The options given, without keys set to undefined (they would hide the rules' values). */
export function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

/** The event loop's turn between two slices of an in-process import. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

export class LeadsService {
  private index: LeadSearch
  private repo: LeadsRepo

  /** Days a list's supplier cells are kept for its import report. */
  constructor(
    private deps: CoreDeps,
    private importRules: (campaignId: number) => ImportRules,
    /** The built parse worker (out/main/parse-worker.js): big files are prepared on a second thread. */
    private parseWorkerFile: string | null = null,
    /** better-sqlite3's binding for the running runtime, for an import's stage file. */
    private nativeBinding?: string
  ) {
    this.index = new LeadSearch(deps.db)
    this.repo = new LeadsRepo(deps.db)
  }

  savedMapping(source: string, headers: string[]): (LeadField | null)[] | null {
    const row = this.repo.savedMapping(source)
    if (!row) return null
    const saved = JSON.parse(row) as Record<string, LeadField | null>
    if (!headers.every((h) => h in saved)) return null
    return headers.map((h) => saved[h] ?? null)
  }

  async preview(bytes: Buffer, opts: ReadOptions & { source?: string }): Promise<ImportPreview> {
    // a file of some size is read on a thread of its own: the hub keeps answering the floor meanwhile
    const { table, total } =
      this.parseWorkerFile && bytes.length > PREVIEW_IN_THREAD_BYTES
        ? await previewOffThread(
            this.parseWorkerFile,
            bytes,
            { encoding: opts.encoding, sheet: opts.sheet },
            SAMPLE_ROWS
          )
        : await readTable(bytes, opts).then((t) => ({ table: t, total: t.rows.length }))
    const saved = opts.source ? this.savedMapping(opts.source, table.headers) : null
    return {
      kind: table.kind,
      encoding: table.encoding,
      delimiter: table.delimiter,
      sheet: table.sheet,
      sheets: table.sheets,
      headerRowNo: table.headerRowNo,
      headers: table.headers,
      sample: table.rows.slice(0, SAMPLE_ROWS).map((r) => r.cells),
      totalRows: total,
      mapping: saved ?? suggestMapping(table.headers),
      mappingFrom: saved ? 'saved' : 'suggested'
    }
  }

  search(filter: LeadFilter, limit: number, beforeId?: number): LeadRow[] {
    return this.index.search(filter, limit, beforeId)
  }

  /** Reads and imports a file in-process, without the audit entry (the caller writes it). */
  async importTableFromFile(
    file: string,
    opts: ImportOptions & ReadOptions,
    hooks: Omit<ImportHooks, 'now' | 'turn'> & { stageFile?: string }
  ): Promise<ImportResult> {
    return this.run(readFileSync(file), opts, hooks)
  }

  /**
   * Reads and imports in this process; the search index catches up after unless deferred. Between
   * the slices it writes, the event loop turns, so requests are answered while a list goes in.
   */
  private async run(
    bytes: Buffer,
    opts: ImportOptions & ReadOptions,
    hooks: Omit<ImportHooks, 'now' | 'turn'> & { deferIndex?: boolean; stageFile?: string }
  ): Promise<ImportResult> {
    const src = await openRowSource(bytes, opts, this.parseWorkerFile)
    const r = await importRows(
      this.deps.db,
      src,
      { ...this.importRules(opts.campaignId), ...definedOnly(opts) },
      { ...hooks, now: this.deps.clock.now(), turn: nextTurn },
      { file: hooks.stageFile ?? newStageFile(this.deps.dataDir), nativeBinding: this.nativeBinding }
    )
    if (!hooks.deferIndex) this.index.indexAll()
    return r
  }

  private districts: { list: ReturnType<DistrictsRepo['list']>; at: number } | null = null

  /** Rows already in hand (the integration API's posted leads): the same import as a file's, prepared in this thread. */
  async importTable(table: Table, opts: ImportOptions): Promise<ImportResult> {
    // the districts change at an upgrade (the country's data), not between two posts: read once a minute
    const now = Date.now()
    if (!this.districts || now - this.districts.at > 60_000)
      this.districts = { list: new DistrictsRepo(this.deps.db).list(), at: now }
    opts = { ...opts, districts: this.districts.list }
    const r = await importRows(
      this.deps.db,
      inThreadSource(table),
      { ...this.importRules(opts.campaignId), ...definedOnly(opts) },
      { now: this.deps.clock.now(), turn: nextTurn },
      { file: newStageFile(this.deps.dataDir), nativeBinding: this.nativeBinding }
    )
    this.index.indexAll()
    return r
  }

  /** Finishes writing a batch that a crash stopped (ImportJobs.resume), in this process. */
  async finishStaged(
    batchId: number,
    stageFile: string,
    area: PhoneAreaRules | undefined,
    onProgress: ImportHooks['onProgress']
  ): Promise<ImportResult> {
    const stage = new ImportStage(stageFile, this.nativeBinding)
    const r = await writeStaged(this.deps.db, batchId, stage, area, { onProgress, turn: nextTurn })
    this.index.indexAll()
    return r
  }

  private regionsFrom = 0
  private regionsDone = false
  /**
   * Looks up the 归属地 and carrier of leads imported before this version kept them, a chunk at a
   * time (a scheduled job, so the first start after an upgrade is not held up). Returns how many.
   */
  fillPhoneRegions(chunk = 2_000): number {
    if (this.regionsDone) return 0
    const rows = this.repo.withoutRegion(this.regionsFrom, chunk)
    if (!rows.length) {
      this.regionsDone = true
      return 0
    }
    this.repo.transaction(() => {
      for (const r of rows) {
        const region = regionOf(r.phone)
        this.repo.setRegion(r.id, region?.province ?? '', region?.city ?? '', carrierOf(r.phone) ?? '')
      }
    }, 'immediate')
    this.regionsFrom = rows[rows.length - 1].id
    return rows.length
  }

  /** Brings the search index up to date; returns how many leads it indexed. */
  indexSearch(): number {
    return this.index.indexAll()
  }

  /**
   * Reads and imports a file in one go (the CLI and benchmarks); the search index is brought up
   * to date afterwards unless `deferIndex` (then call indexSearch).
   */
  async importFile(
    bytes: Buffer,
    opts: ImportOptions & ReadOptions,
    hooks: Omit<ImportHooks, 'now'> & { deferIndex?: boolean },
    source: string
  ): Promise<ImportResult> {
    const result = await this.run(bytes, opts, hooks)
    this.deps.audit.write({
      userId: opts.userId,
      username: null,
      action: 'leads.import',
      entity: 'import_batch',
      entityId: result.batchId,
      details: { fileName: opts.fileName, source: opts.source, ...result },
      source
    })
    return result
  }
}
