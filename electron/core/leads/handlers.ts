import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { countsOf } from './import-repo'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { csvCell, safeRow } from '../spreadsheet'
import type { LeadSummary, Locale, Settings, User } from '../../../shared/contract'
import { NOT_A_LIST_ERRORS } from '../../../shared/contract/enums'
import { translate } from '../../../shared/i18n'
import { canSeeNumbers, cellFor, idNoFor, phoneFor } from '../privacy'
import { LeadsRepo } from './repo'
import { AppError } from '../errors'
import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import type { DownloadStore } from '../downloads'
import { UPLOAD_CHUNK, type UploadStore } from '../uploads'
import type { ImportJobs } from './jobs'
import type { LeadRow } from './search-repo'
import type { LeadsService } from './service'
import { BULK_READS, BulkReads } from './bulk-reads'
import { leadAge } from '../../../shared/domain/age'
import { localTime } from '../../../shared/domain/calling-time'
import { regionText } from '../phone/geo'
import { checkPhone, isRefused, type CheckedPhone, type PhoneProblemInfo } from '../phone/numbers'

/** A report row's reason in words; a refused number's reason with its particulars (the area code, its lengths …). */
export function importReason(
  locale: Locale,
  reason: string,
  detail: string | null,
  checked: CheckedPhone | PhoneProblemInfo
): string {
  const params: Record<string, string> = { detail: detail ?? '' }
  if (reason.startsWith('phone.') && isRefused(checked)) {
    Object.assign(params, checked.detail)
    if (checked.detail.type) params.type = translate(locale, `phoneTypes.${checked.detail.type}`)
    return translate(locale, `importReasons.phone.${checked.problem}`, params)
  }
  return translate(locale, `importReasons.${reason}`, params)
}

/** The reason of a report row whose supplier cells were dropped after their retention period (settings.retention): its words, without the cell's details. */
function forgottenReason(locale: Locale, reason: string): string {
  const text = translate(locale, `importReasons.${reason}`, {})
  return `${text === `importReasons.${reason}` ? reason : text}${translate(locale, 'importReport.cellsForgotten')}`
}

export function toSummary(r: LeadRow, user: User, settings: Settings, today: string): LeadSummary {
  return {
    id: r.id,
    phone: phoneFor(r.phone, user.role, settings),
    phoneKind: r.phone_kind as LeadSummary['phoneKind'],
    phoneRegion: regionText(r.phone_province, r.phone_city),
    phoneCarrier: r.phone_carrier ?? '',
    name: r.name,
    gender: r.gender as LeadSummary['gender'],
    birthDate: r.birth_date,
    ...leadAge(r.birth_date, r.stated_age, r.created_at, today),
    address: r.address,
    districtCode: r.district_code,
    status: r.status as LeadSummary['status'],
    batchId: r.batch_id,
    ownerId: r.owner_id,
    attempts: r.attempts,
    createdAt: r.created_at
  }
}

export function createLeadsHandlers(
  deps: CoreDeps,
  leads: LeadsService,
  jobs: ImportJobs,
  uploads: UploadStore,
  downloads: DownloadStore,
  settings: () => Settings,
  /** The campaign an import goes into, refused when it is closed. */
  openCampaign: (id: number) => unknown
): DomainHandlers<'uploads' | 'leads' | 'downloads'> {
  const bulkReads = new BulkReads()
  const { db, audit } = deps
  const repo = new LeadsRepo(db)

  async function writeReport(batchId: number, format: 'xlsx' | 'csv', locale: Locale, user: User) {
    const batch = repo.batch(batchId)
    if (!batch) throw new AppError('NOT_FOUND')
    const { headers, fields } = JSON.parse(batch.mapping) as { headers: string[]; fields: (string | null)[] }
    const phoneCol = fields.indexOf('phone')
    const rows = repo.batchRows(batchId)
    const t = (k: string, p?: Record<string, string | number>) => translate(locale, k, p)
    const head = [
      t('importReport.row'),
      t('importReport.outcome'),
      t('importReport.reason'),
      t('importReport.region'),
      t('importReport.carrier'),
      ...headers
    ]
    const s = settings()
    // the supplier's cells as the reader may see them: numbers masked for a role that sees them masked
    const shown = (v: string) => cellFor(v, user.role, s)
    const lines = rows.map((r) => {
      const cells = JSON.parse(r.raw) as string[]
      const checked = checkPhone(cells[phoneCol] ?? '', s.areaCode)
      const region = checked.region
      return [
        r.row_no,
        t(`importOutcomes.${r.outcome}`),
        cells.length ? shown(importReason(locale, r.reason, r.detail, checked)) : forgottenReason(locale, r.reason),
        region ? regionText(region.province, region.city) : '',
        isRefused(checked) ? '' : (checked.carrier ?? ''),
        ...cells.map(shown)
      ]
    })
    const dir = join(deps.dataDir, 'exports')
    mkdirSync(dir, { recursive: true })
    const base = `${batch.file_name.replace(/\.[^.]+$/, '')}-${t('importReport.suffix')}`
    const file = join(dir, `report-${batchId}-${Date.now()}.${format}`)
    if (format === 'csv') {
      // BOM: Excel on Windows opens a UTF-8 CSV as Chinese only with it.
      writeFileSync(file, '\ufeff' + [head, ...lines].map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n')
    } else {
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet(t('importReport.sheet'))
      ws.addRow(head).font = { bold: true }
      for (const l of lines) ws.addRow(safeRow(l))
      ws.columns.forEach((c, i) => (c.width = i === 2 ? 48 : 16))
      ws.views = [{ state: 'frozen', ySplit: 1 }]
      await wb.xlsx.writeFile(file)
    }
    return { file, fileName: `${base}.${format}`, rows: rows.length }
  }

  return {
    'uploads.begin': (input, ctx) => {
      const { user } = requireUser(ctx)
      return { uploadId: uploads.begin(input.name, input.size, user.id), chunkSize: UPLOAD_CHUNK }
    },
    'uploads.chunk': (input, ctx) => {
      const { user } = requireUser(ctx)
      return uploads.chunk(input.uploadId, input.offset, Buffer.from(input.data, 'base64'), user.id)
    },
    'leads.previewImport': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const { file } = uploads.complete(input.uploadId, user.id)
      try {
        return await leads.preview(readFileSync(file), {
          encoding: input.encoding,
          sheet: input.sheet,
          source: input.source
        })
      } catch (err) {
        // a file that is no list at all goes at once (another encoding or sheet cannot make one of it)
        if (err instanceof AppError && NOT_A_LIST_ERRORS.includes(err.key ?? '')) uploads.remove(input.uploadId)
        throw err
      }
    },
    'leads.import': (input, ctx) => {
      const { user } = requireUser(ctx)
      openCampaign(input.campaignId ?? 1)
      const { file, name } = uploads.complete(input.uploadId, user.id)
      return jobs.start(
        user,
        file,
        {
          fileName: name,
          source: input.source,
          campaignId: input.campaignId ?? 1,
          policy: input.policy,
          mapping: input.mapping,
          userId: user.id,
          encoding: input.encoding,
          sheet: input.sheet
        },
        ctx.conn.source,
        () => uploads.remove(input.uploadId),
        ctx.conn.locale
      )
    },
    'leads.importJob': (input, ctx) => jobs.get(input.jobId, requireUser(ctx).user.id, ctx.conn.locale),
    'leads.cancelImport': (input, ctx) => {
      jobs.cancel(input.jobId, requireUser(ctx).user.id)
      return { ok: true as const }
    },
    'leads.batches': (input) =>
      repo.batches(input.limit).map((b) => ({
        id: b.id as number,
        fileName: b.file_name as string,
        source: b.source as string,
        campaignId: b.campaign_id as number,
        campaignName: (b.campaign_name as string | null) ?? '',
        kind: b.kind as string,
        encoding: b.encoding as string | null,
        policy: b.policy as 'skip' | 'fill' | 'attach',
        ...countsOf(b),
        createdAt: b.created_at as string,
        createdBy: (b.username as string | null) ?? null
      })),
    'leads.importReport': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = await writeReport(input.batchId, input.format, ctx.conn.locale, user)
      const contentType =
        input.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      const token = downloads.offer({
        file: r.file,
        name: r.fileName,
        contentType,
        deleteAfter: true,
        userId: user.id,
        sessionId: ctx.sessionId
      })
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'leads.importReport',
        entity: 'import_batch',
        entityId: input.batchId,
        details: { format: input.format },
        source: ctx.conn.source
      })
      return { token, fileName: r.fileName, rows: r.rows }
    },
    'downloads.read': (input, ctx) => {
      const offer = downloads.get(input.token)
      if (!offer || (offer.userId !== null && offer.userId !== requireUser(ctx).user.id))
        throw new AppError('NOT_FOUND')
      return { fileName: offer.name, contentType: offer.contentType, data: readFileSync(offer.file).toString('base64') }
    },
    'leads.importRows': (input, ctx) => {
      const { user } = requireUser(ctx)
      const batch = repo.batch(input.batchId)
      if (!batch) throw new AppError('NOT_FOUND')
      const fields = (JSON.parse(batch.mapping) as { fields: (string | null)[] }).fields
      const phoneCol = fields.indexOf('phone')
      const all = repo.batchRows(input.batchId)
      const s = settings()
      return {
        total: all.length,
        rows: all.slice(0, input.limit).map((r) => {
          const cells = JSON.parse(r.raw) as string[]
          const raw = cells[phoneCol] ?? ''
          const checked = checkPhone(raw, s.areaCode)
          return {
            rowNo: r.row_no,
            outcome: r.outcome,
            reason: cells.length
              ? importReason(ctx.conn.locale, r.reason, r.detail, checked)
              : forgottenReason(ctx.conn.locale, r.reason),
            // a refused number is shown as the list wrote it (there is no normalised form to mask)
            phone: isRefused(checked)
              ? canSeeNumbers(user.role, s)
                ? raw
                : '****'
              : phoneFor(checked.phone, user.role, s),
            region: checked.region ? regionText(checked.region.province, checked.region.city) : '',
            carrier: isRefused(checked) ? '' : (checked.carrier ?? '')
          }
        })
      }
    },
    'leads.regions': () => repo.regions(),
    'leads.search': (input, ctx) => {
      const { user } = requireUser(ctx)
      const { beforeId, limit, ...filter } = input
      // Operators see only what is theirs: their private pool and their daily batches.
      const own = user.role === 'operator'
      const rows = leads.search(own ? { ...filter, allocatedOrOwnedBy: user.id } : filter, limit + 1, beforeId)
      const more = rows.length > limit
      const page = more ? rows.slice(0, limit) : rows
      const s = settings()
      const today = localTime(deps.clock.now(), s.timeZone).day
      if (canSeeNumbers(user.role, s) && page.length) {
        const verdict = bulkReads.count(user.id, page.length, deps.clock.now().getTime())
        if (verdict === 'refuse') throw new AppError('CONFLICT', 'errors.tooManyReads', { limit: BULK_READS.limit })
        if (verdict === 'audit')
          audit.write({
            userId: user.id,
            username: user.username,
            action: 'leads.bulkRead',
            entity: 'lead',
            details: { rows: bulkReads.rowsThisHour(user.id), filter },
            source: ctx.conn.source
          })
      }
      return {
        rows: page.map((r) => toSummary(r, user, s, today)),
        nextBeforeId: more ? page[page.length - 1].id : null
      }
    },
    'leads.get': (input, ctx) => {
      const { user } = requireUser(ctx)
      if (user.role === 'operator' && !repo.isOwnLead(input.id, user.id)) throw new AppError('FORBIDDEN')
      const r = repo.lead(input.id)
      if (!r) throw new AppError('NOT_FOUND')
      const s = settings()
      const unmasked = canSeeNumbers(user.role, s)
      const batches = repo.batchesOf(r.id, r.batch_id)
      const history = repo
        .history(r.id)
        .map((h) => ({ ...h, details: h.details ? (JSON.parse(h.details) as Record<string, unknown>) : null }))
      if (unmasked) {
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'leads.view',
          entity: 'lead',
          entityId: r.id,
          source: ctx.conn.source
        })
      }
      return {
        ...toSummary(r, user, s, localTime(deps.clock.now(), s.timeZone).day),
        // The ID number is personal data: only roles that see numbers see it whole.
        idNo: idNoFor(r.id_no, user.role, s),
        employer: r.employer,
        occupation: r.occupation,
        note: r.note,
        extra: r.extra ? (JSON.parse(r.extra) as Record<string, string>) : {},
        batches,
        history
      }
    }
  }
}
