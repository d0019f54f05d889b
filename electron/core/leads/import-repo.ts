import type Database from 'better-sqlite3'
import { ftsText } from './search-repo'
import { DncList } from '../dnc/list'
import type { ImportCounts } from './import'

/** A batch being written from its stage file (see 0019_import_slices.sql). */
export interface WritingBatch {
  id: number
  campaign_id: number
  file_name: string
  source: string
  policy: 'skip' | 'fill' | 'attach'
  mapping: string
  created_by: number | null
  created_at: string
  state: 'writing' | 'done'
  stage_file: string | null
  staged_rows: number
  applied_upto: number
}

/** A batch's counts as its row keeps them. */
export function countsOf(b: Record<string, unknown>): ImportCounts {
  return {
    rows: b.rows as number,
    imported: b.imported as number,
    duplicatesInFile: b.duplicates_in_file as number,
    duplicatesInPool: b.duplicates_in_pool as number,
    invalid: b.invalid as number,
    dnc: b.dnc as number,
    warnings: b.warnings as number,
    outsideCity: b.outside_city as number,
    outsideProvince: b.outside_province as number
  }
}

/**
 * What an import writes, a slice at a time. A list can have a million rows, so every statement is
 * prepared once, here, when the import starts, and the methods take positional values straight
 * from the prepared rows.
 */
export class ImportRepo {
  private insBatch: Database.Statement
  private insLead: Database.Statement
  private insFts: Database.Statement
  private ftsUpto: Database.Statement
  private existing: Database.Statement
  private fillStmt: Database.Statement
  private refreshFts: Database.Statement
  private delFts: Database.Statement
  private attachStmt: Database.Statement
  private insRow: Database.Statement
  private finishStmt: Database.Statement
  private addCountsStmt: Database.Statement
  private batchStmt: Database.Statement
  private writingStmt: Database.Statement
  private saveMappingStmt: Database.Statement
  private dncList: DncList

  constructor(readonly db: Database.Database) {
    this.dncList = new DncList(db)

    this.insBatch = db.prepare(
      `INSERT INTO import_batches (campaign_id, file_name, source, kind, encoding, sheet, policy, mapping, created_by, created_at,
         state, stage_file, staged_rows)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'writing', ?, ?)`
    )
    this.insLead = db.prepare(
      `INSERT OR IGNORE INTO leads (campaign_id, phone, phone_kind, name, gender, birth_date, id_no, address, district_code,
         employer, occupation, note, extra, batch_id, created_at, updated_at, phone_province, phone_city, phone_carrier, stated_age)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    this.insFts = db.prepare('INSERT INTO leads_fts (rowid, txt) VALUES (?, ?)')
    this.ftsUpto = db.prepare('SELECT upto FROM leads_fts_state WHERE id = 1').pluck()
    this.existing = db.prepare('SELECT id FROM leads WHERE phone = ?').pluck()
    this.fillStmt = db.prepare(
      `UPDATE leads SET name = coalesce(nullif(name, ''), ?), gender = coalesce(gender, ?), birth_date = coalesce(birth_date, ?),
         stated_age = coalesce(stated_age, ?), id_no = coalesce(id_no, ?), address = coalesce(nullif(address, ''), ?), district_code = coalesce(district_code, ?),
         employer = coalesce(employer, ?), occupation = coalesce(occupation, ?), note = coalesce(note, ?), updated_at = ?
       WHERE id = ?`
    )
    this.refreshFts = db.prepare('SELECT name, phone, address FROM leads WHERE id = ?')
    this.delFts = db.prepare('DELETE FROM leads_fts WHERE rowid = ?')
    this.attachStmt = db.prepare('INSERT OR IGNORE INTO lead_batches (lead_id, batch_id) VALUES (?, ?)')
    this.insRow = db.prepare(
      'INSERT OR IGNORE INTO import_rows (batch_id, row_no, outcome, reason, detail, lead_id, raw) VALUES (?, ?, ?, ?, ?, ?, ?)'
    )
    this.addCountsStmt = db.prepare(
      `UPDATE import_batches SET rows = rows + @rows, imported = imported + @imported,
         duplicates_in_file = duplicates_in_file + @duplicatesInFile, duplicates_in_pool = duplicates_in_pool + @duplicatesInPool,
         invalid = invalid + @invalid, dnc = dnc + @dnc, warnings = warnings + @warnings,
         outside_city = outside_city + @outsideCity, outside_province = outside_province + @outsideProvince,
         applied_upto = @appliedUpto
       WHERE id = @id`
    )
    this.finishStmt = db.prepare("UPDATE import_batches SET state = 'done', stage_file = NULL WHERE id = ?")
    this.batchStmt = db.prepare('SELECT * FROM import_batches WHERE id = ?')
    this.writingStmt = db.prepare("SELECT id FROM import_batches WHERE state = 'writing' ORDER BY id").pluck()
    this.saveMappingStmt = db.prepare(
      `INSERT INTO import_mappings (source, mapping, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`
    )
  }

  /** The numbers the do-not-call list stops for calls in this campaign now: read once, checked in a hash while rows are prepared. */
  /** The do-not-call entries an import checks: the whole list in force, or those of the numbers given. */
  dnc(campaignId: number, now: string, among?: string[]): [phone: string, reason: string][] {
    return among ? this.dncList.inForceAmong(campaignId, now, among) : this.dncList.inForceFor(campaignId, now)
  }

  addBatch(
    ...v: [
      campaignId: number,
      fileName: string,
      source: string,
      kind: string,
      encoding: string | null,
      sheet: string | null,
      policy: string,
      mapping: string,
      userId: number | null,
      at: string,
      stageFile: string,
      stagedRows: number
    ]
  ): number {
    return Number(this.insBatch.run(...v).lastInsertRowid)
  }

  /** A new lead, or 0 when its number is in the pool already. */
  addLead(...v: (string | number | null)[]): number {
    const r = this.insLead.run(...v)
    return r.changes === 1 ? Number(r.lastInsertRowid) : 0
  }

  leadOfPhone(phone: string): number {
    return this.existing.get(phone) as number
  }

  /** The policy 'fill': empty fields of the lead in the pool take the list's values; its search text follows. */
  fill(leadId: number, ...v: (string | number | null)[]): void {
    this.fillStmt.run(...v, leadId)
    if (leadId <= (this.ftsUpto.get() as number)) {
      const l = this.refreshFts.get(leadId) as { name: string | null; phone: string; address: string | null }
      this.delFts.run(leadId)
      this.insFts.run(leadId, ftsText(l.name, l.phone, l.address))
    }
  }

  attach(leadId: number, batchId: number): void {
    this.attachStmt.run(leadId, batchId)
  }

  row(
    batchId: number,
    rowNo: number,
    outcome: string,
    reason: unknown,
    detail: unknown,
    leadId: number | null,
    raw: unknown
  ): void {
    this.insRow.run(batchId, rowNo, outcome, reason, detail, leadId, raw)
  }

  /** A slice's rows are in: its counts join the batch's, and the batch remembers the last record taken. */
  addCounts(batchId: number, c: ImportCounts, appliedUpto: number): void {
    this.addCountsStmt.run({ ...c, appliedUpto, id: batchId })
  }

  /** Every row is in. */
  finish(batchId: number): void {
    this.finishStmt.run(batchId)
  }

  batch(batchId: number): (WritingBatch & Record<string, unknown>) | undefined {
    return this.batchStmt.get(batchId) as (WritingBatch & Record<string, unknown>) | undefined
  }

  /** Batches an import had started writing and not finished (a crash, a kill). */
  writing(): number[] {
    return this.writingStmt.all() as number[]
  }

  /** The source's column mapping, remembered for its next list. */
  saveMapping(source: string, mapping: string, at: string): void {
    this.saveMappingStmt.run(source, mapping, at)
  }
}
