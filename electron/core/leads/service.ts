import { readFileSync } from 'node:fs'
import type { CoreDeps } from '../context'
import { importRows, type ImportHooks, type ImportOptions, type ImportResult } from './import'
import { openRowSource } from './row-source'
import { readTable, type ReadOptions } from './read-table'
import { searchLeads, type LeadFilter, type LeadRow } from './search'
import { indexAll } from './fts'
import { suggestMapping, type LeadField } from '../../../shared/domain/lead-columns'
import type { ImportPreview } from '../../../shared/contract'

const SAMPLE_ROWS = 10

export class LeadsService {
  constructor(
    private deps: CoreDeps,
    private areaCode: () => string,
    /** The built parse worker (out/main/parse-worker.js): big files are prepared on a second thread. */
    private parseWorkerFile: string | null = null
  ) {}

  savedMapping(source: string, headers: string[]): (LeadField | null)[] | null {
    const row = this.deps.db.prepare('SELECT mapping FROM import_mappings WHERE source = ?').pluck().get(source) as
      string | undefined
    if (!row) return null
    const saved = JSON.parse(row) as Record<string, LeadField | null>
    if (!headers.every((h) => h in saved)) return null
    return headers.map((h) => saved[h] ?? null)
  }

  async preview(bytes: Buffer, opts: ReadOptions & { source?: string }): Promise<ImportPreview> {
    const table = await readTable(bytes, opts)
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
      totalRows: table.rows.length,
      mapping: saved ?? suggestMapping(table.headers),
      mappingFrom: saved ? 'saved' : 'suggested'
    }
  }

  search(filter: LeadFilter, limit: number, beforeId?: number): LeadRow[] {
    return searchLeads(this.deps.db, filter, limit, beforeId)
  }

  /** Reads and imports a file in-process, without the audit entry (the caller writes it). */
  async importTableFromFile(
    file: string,
    opts: ImportOptions & ReadOptions,
    hooks: Omit<ImportHooks, 'now'>
  ): Promise<ImportResult> {
    return this.run(readFileSync(file), opts, hooks)
  }

  /** Reads and imports in this process; the search index catches up after unless deferred. */
  private async run(
    bytes: Buffer,
    opts: ImportOptions & ReadOptions,
    hooks: Omit<ImportHooks, 'now'> & { deferIndex?: boolean }
  ): Promise<ImportResult> {
    const src = await openRowSource(bytes, opts, this.parseWorkerFile)
    const r = importRows(
      this.deps.db,
      src,
      { ...opts, defaultAreaCode: opts.defaultAreaCode ?? this.areaCode() },
      { ...hooks, now: this.deps.clock.now() }
    )
    if (!hooks.deferIndex) indexAll(this.deps.db)
    return r
  }

  /** Brings the search index up to date; returns how many leads it indexed. */
  indexSearch(): number {
    return indexAll(this.deps.db)
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
