import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import ExcelJS from 'exceljs'
import type { User } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import { EVERYWHERE, type DncList } from '../dnc/list'
import { AppError } from '../errors'
import { ftsText } from '../leads/search-repo'
import { peaksFile, type RecordingFiles } from '../recordings/store'
import { safeRow } from '../spreadsheet'
import { zipWriter } from '../zip'
import { NOTHING_REMOVED, PersonalDataRepo, type Correctable, type Removed } from './repo'

export interface ErasureResult {
  proofId: number
  phoneHash: string
  removed: Removed
  /** What had to stay, and why: signed sales (kept by law), visits or complaint cases still open. */
  kept: { signedSales: number; openCases: number }
  files: number
}

const actor = (u: User): number | null => (u.id > 0 ? u.id : null)

/**
 * The customer's rights over their data (个人信息保护法): see everything held about them, correct
 * it, have it erased where no legal duty keeps it, withdraw consent. Every action is audited without
 * the number; an erasure leaves a proof (the number's keyed hash, what went, what stayed).
 */
export class PrivacyService {
  readonly repo: PersonalDataRepo
  /** Exports made in the data folder per number (keyed hash): an erasure takes them too. */
  private exports = new Map<string, string[]>()

  constructor(
    private deps: CoreDeps,
    private dnc: DncList,
    private files: RecordingFiles
  ) {
    this.repo = new PersonalDataRepo(deps.db)
  }

  /**
   * Removes leads (with their calls, recordings, outcomes, visits, 回访 and history) and their files,
   * with secure deletion: what the database frees is zeroed, and the write-ahead log is emptied after.
   */
  removeLeads(leadIds: number[]): {
    removed: Omit<Removed, 'complaints' | 'dncEntries' | 'auditEntries'>
    files: number
  } {
    let files: string[] = []
    let removed!: ReturnType<PersonalDataRepo['removeStaged']>
    this.repo.gate(() => {
      this.repo.stage(leadIds)
      files = this.repo.stagedFiles()
      removed = this.repo.removeStaged()
    })
    return { removed, files: this.removeFiles(files) }
  }

  removeFiles(rel: string[]): number {
    let n = 0
    for (const r of rel) {
      try {
        const abs = this.files.abs(this.deps.dataDir, r)
        rmSync(abs, { force: true })
        rmSync(peaksFile(abs), { force: true })
        n++
      } catch {
        // a path outside the store is never touched
      }
    }
    return n
  }

  /**
   * Erases one customer (a phone number) where no legal duty keeps the data: a signed sale's record
   * stays for its years, a visit or a complaint case still open stays until it is done (both
   * reported as kept). Their supplier rows lose the number, closed complaint cases and do-not-call
   * entries keep only the keyed hash, and the number is stopped for good by that hash (nobody calls
   * someone who asked to be forgotten when a later list brings them again).
   */
  erase(
    phone: string,
    reason: string,
    user: User,
    source: string,
    kind: 'request' | 'retention' = 'request'
  ): ErasureResult {
    const hash = this.deps.keyedHash(phone)
    const now = this.deps.clock.now().toISOString()
    const { goes, signedSales, openCases } = this.held(phone)
    const whole = signedSales === 0 && openCases === 0
    let rest = { complaints: 0, importRows: 0, dncEntries: 0, auditEntries: 0 }
    let proofId = 0
    let files: string[] = []
    let removed!: ReturnType<PersonalDataRepo['removeStaged']>
    this.repo.gate(() => {
      this.repo.stage(goes)
      files = this.repo.stagedFiles()
      removed = this.repo.removeStaged()
      if (whole) {
        this.repo.forgetDialAttempts(phone)
        if (kind === 'request')
          this.dnc.put({
            phone,
            source: 'customer_request',
            reason: reason,
            where: EVERYWHERE,
            effectiveAt: now,
            expiresAt: null,
            userId: actor(user),
            at: now
          })
        rest = {
          importRows: this.repo.forgetImportRowsOf(phone),
          complaints: this.repo.forgetClosedComplaints(phone, hash),
          dncEntries: this.dnc.forgetNumber(phone, hash),
          auditEntries: this.repo.forgetInAudit(phone, hash)
        }
      }
      const all = { ...NOTHING_REMOVED, ...removed, ...rest, importRows: removed.importRows + rest.importRows }
      proofId = this.repo.proof({
        at: now,
        userId: actor(user),
        hash,
        reason,
        kind,
        removed: all,
        kept: { signedSales, openCases }
      })
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'privacy.erase',
        entity: 'erasure',
        entityId: proofId,
        details: { phoneHash: hash, kind, removed: all, kept: { signedSales, openCases } },
        source
      })
    })
    const n = this.removeFiles(files)
    for (const f of this.exports.get(hash) ?? []) rmSync(f, { force: true })
    this.exports.delete(hash)
    this.repo.checkpoint()
    this.deps.events.emit('leads.changed', { reason: 'erased' })
    return {
      proofId,
      phoneHash: hash,
      removed: { ...NOTHING_REMOVED, ...removed, ...rest, importRows: removed.importRows + rest.importRows },
      kept: { signedSales, openCases },
      files: n
    }
  }

  /**
   * What a legal duty keeps of a customer (signed sales; visits and complaint cases still open) and
   * the leads that may go: the erasure's and the privacy officer's look use the same reading.
   */
  held(phone: string): { goes: number[]; signedSales: number; openCases: number } {
    const leads = this.repo.leadsOf(phone)
    const openLeads = leads.filter((l) => !l.signed && l.open).length
    return {
      goes: leads.filter((l) => !l.signed && !l.open).map((l) => l.id),
      signedSales: leads.filter((l) => l.signed).length,
      openCases: Math.max(openLeads, this.repo.openComplaints(phone))
    }
  }

  /** 撤回同意: the customer is not contacted again by any channel in any campaign, for good. */
  withdrawConsent(phone: string, reason: string, user: User, source: string): { leadsStopped: number } {
    const now = this.deps.clock.now().toISOString()
    let leadsStopped = 0
    this.repo.transaction(() => {
      this.dnc.put({
        phone,
        source: 'customer_request',
        reason,
        where: EVERYWHERE,
        effectiveAt: now,
        expiresAt: null,
        userId: actor(user),
        at: now
      })
      leadsStopped = this.dnc.blockLeads(phone, now)
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'privacy.withdrawConsent',
        entity: 'dnc',
        details: { phoneHash: this.deps.keyedHash(phone), leadsStopped },
        source
      })
    })
    this.deps.events.emit('leads.changed', { reason: 'dnc' })
    return { leadsStopped }
  }

  /** Corrects a customer's card; the audit names the fields changed, not their values. */
  correct(leadId: number, fields: Partial<Record<Correctable, string | null>>, user: User, source: string): void {
    const lead = this.repo.lead(leadId)
    if (!lead) throw new AppError('NOT_FOUND')
    const changed = Object.keys(fields) as Correctable[]
    if (!changed.length) throw new AppError('INVALID_INPUT', 'errors.nothingToCorrect')
    const name = fields.name !== undefined ? fields.name : lead.name
    const address = fields.address !== undefined ? fields.address : lead.address
    this.repo.transaction(() => {
      this.repo.correctLead(leadId, fields, ftsText(name, lead.phone, address), this.deps.clock.now().toISOString())
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'privacy.correct',
        entity: 'lead',
        entityId: leadId,
        details: { fields: changed },
        source
      })
    })
    this.deps.events.emit('leads.changed', { reason: 'corrected' })
  }

  /**
   * Everything held about the number, in one ZIP: a workbook (one sheet per kind of record, for
   * reading), the same as JSON (for a machine), and each recording. Counts of what it holds.
   */
  async exportTo(
    phone: string,
    file: string,
    user: User,
    source: string
  ): Promise<{ leads: number; calls: number; recordings: number }> {
    const data = this.repo.customerData(phone)
    const recs = this.repo.recordingFiles(phone)
    mkdirSync(dirname(file), { recursive: true })
    const zip = zipWriter(file)
    const wb = new ExcelJS.Workbook()
    for (const [section, rows] of Object.entries(data)) {
      const ws = wb.addWorksheet(section)
      const cols = rows.length ? Object.keys(rows[0] as object) : ['—']
      ws.addRow(cols).font = { bold: true }
      for (const r of rows as Record<string, unknown>[])
        ws.addRow(safeRow(cols.map((c) => (r[c] === null ? '' : String(r[c])))))
      ws.columns.forEach((c) => (c.width = 18))
    }
    zip.addBuffer(Buffer.from(await wb.xlsx.writeBuffer()), 'customer.xlsx')
    zip.addBuffer(
      Buffer.from(JSON.stringify({ phone, exportedAt: this.deps.clock.now().toISOString(), ...data }, null, 2)),
      'customer.json'
    )
    let recordings = 0
    for (const r of recs) {
      try {
        const abs = await this.files.local(this.deps.dataDir, r.file)
        if (!existsSync(abs)) continue
        zip.add(
          abs,
          join('recordings', `${r.startedAt.replace(/[-:]/g, '').slice(0, 15)}-call${r.callId}${extname(r.file)}`)
        )
        recordings++
      } catch {
        // never a path outside the store
      }
    }
    await zip.close()
    const hash = this.deps.keyedHash(phone)
    if (file.startsWith(this.deps.dataDir)) this.exports.set(hash, [...(this.exports.get(hash) ?? []), file])
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action: 'privacy.export',
      entity: 'customer',
      details: { phoneHash: hash, leads: data.leads.length, calls: data.calls.length, recordings },
      source
    })
    return { leads: data.leads.length, calls: data.calls.length, recordings }
  }
}
