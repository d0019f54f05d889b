import { mkdirSync, rmSync, statSync } from 'node:fs'
import type { Output } from '../../../shared/contract'
import { safeRow } from '../spreadsheet'
import { join } from 'node:path'
import { safeFileName, zipWriter } from '../zip'
import ExcelJS from 'exceljs'
import nodemailer from 'nodemailer'
import type { Locale } from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import type { SecretBox } from '../secrets'
import type { RecordingFiles } from '../recordings/store'
import type { PackageRepo } from './package-repo'

/** The mail settings as the contract has them (smtp.get). */
export type SmtpSettings = Output<'smtp.get'>

/** E-mail settings for the success package: one row, the password sealed at rest. */
export class SmtpStore {
  constructor(
    private repo: PackageRepo,
    private box: SecretBox
  ) {}

  get(): SmtpSettings {
    const r = this.repo.smtp()
    if (!r) return { host: '', port: 587, secure: false, plain: false, user: '', from: '', to: [], hasPassword: false }
    return {
      host: r.host,
      port: r.port,
      secure: r.secure === 1,
      plain: r.plain === 1,
      user: r.user,
      from: r.from_addr,
      to: JSON.parse(r.to_addrs) as string[],
      hasPassword: r.password_sealed !== null
    }
  }

  set(s: Omit<SmtpSettings, 'hasPassword'> & { password?: string }): SmtpSettings {
    const current = this.repo.smtp()?.password_sealed ?? null
    this.repo.putSmtp(s, s.password ? this.box.seal(s.password) : current)
    return this.get()
  }

  password(): string | undefined {
    const sealed = this.repo.smtp()?.password_sealed
    return sealed ? this.box.open(sealed) : undefined
  }
}

/**
 * The success package of a day (docs/domain.md: the day's successes with the customers' details and the
 * call recordings, with the receiver by 20:00): one XLSX and the recordings, in a ZIP.
 */
export interface SuccessPackage {
  file: string
  fileName: string
  successes: number
  /** The sheet alone, attached to the e-mail beside the ZIP. */
  sheet: Buffer
  sheetName: string
}

export async function buildSuccessPackage(
  deps: CoreDeps,
  repo: PackageRepo,
  files: RecordingFiles,
  day: string,
  locale: Locale,
  /** The numbers as the one who downloads may see them (the e-mail to the receivers has them whole). */
  showPhone: (phone: string) => string = (p) => p
): Promise<SuccessPackage> {
  const t = (k: string) => translate(locale, k)
  const rows = repo.packageRows(day)
  const dir = join(deps.dataDir, 'exports')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `success-${day}-${Date.now()}.zip`)
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet(t('dispatch.package.sheet'))
  ws.addRow(
    safeRow(
      [
        'successAt',
        'customer',
        'phone',
        'address',
        'district',
        'visitAt',
        'product',
        'operator',
        'staffNo',
        'agent',
        'recording'
      ].map((k) => t(`dispatch.package.${k}`))
    )
  ).font = { bold: true }
  const zip = zipWriter(file)
  const sheetName = `${t('dispatch.package.name')}-${day}.xlsx`
  let sheet: Buffer
  try {
    for (const r of rows) {
      const rec =
        r.file && r.recording_id
          ? `${t('dispatch.package.recordings')}/${r.recording_id}-${safeFileName(r.name)}.${r.file.endsWith('.ogg') ? 'ogg' : 'webm'}`
          : ''
      if (rec) zip.add(await files.local(deps.dataDir, r.file!), rec)
      ws.addRow(
        safeRow([
          new Date(r.created_at),
          r.name,
          showPhone(r.phone),
          r.address ?? '',
          r.district,
          new Date(r.visit_at),
          r.product_interest ?? '',
          r.operator,
          r.staff_no ?? '',
          r.agent ?? '',
          rec
        ])
      )
    }
    for (const c of [1, 6]) ws.getColumn(c).numFmt = 'yyyy-mm-dd hh:mm'
    ws.columns.forEach((c, i) => (c.width = [18, 10, 14, 36, 10, 18, 14, 10, 8, 10, 40][i] ?? 14))
    ws.views = [{ state: 'frozen', ySplit: 1 }]
    sheet = Buffer.from(await wb.xlsx.writeBuffer())
    zip.addBuffer(sheet, sheetName)
    await zip.close()
  } catch (err) {
    rmSync(file, { force: true })
    throw err
  }
  return { file, fileName: `${t('dispatch.package.name')}-${day}.zip`, successes: rows.length, sheet, sheetName }
}

/** Sends the package to the configured receivers: the sheet, the ZIP with the sheet and the recordings, and the day's report. */
export async function mailSuccessPackage(
  smtp: SmtpStore,
  pkg: SuccessPackage,
  day: string,
  locale: Locale,
  report: { file: string; fileName: string } | null = null
): Promise<string[]> {
  const s = smtp.get()
  if (!s.host || !s.to.length || !s.from) throw new AppError('INVALID_INPUT', 'errors.smtpNotConfigured')
  const pass = smtp.password()
  // Over TLS unless the administrator chose plain on purpose: STARTTLS is required (a server that does
  // not offer it, or a man in the middle who strips it, gets nothing), and the certificate is checked.
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: !s.secure && !s.plain,
    ignoreTLS: s.plain && !s.secure,
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    auth: s.user ? { user: s.user, pass } : undefined
  })
  const t = (k: string, p?: Record<string, string | number>) => translate(locale, k, p)
  try {
    await transport.sendMail({
      from: s.from,
      to: s.to,
      subject: t('dispatch.package.subject', { day, count: pkg.successes }),
      text: t('dispatch.package.body', { day, count: pkg.successes, mb: (statSync(pkg.file).size / 1e6).toFixed(1) }),
      attachments: [
        {
          filename: pkg.sheetName,
          content: pkg.sheet,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        },
        { filename: pkg.fileName, path: pkg.file, contentType: 'application/zip' },
        ...(report
          ? [
              {
                filename: report.fileName,
                path: report.file,
                contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
              }
            ]
          : [])
      ]
    })
  } catch (err) {
    throw smtpError(err)
  } finally {
    transport.close()
  }
  return s.to
}

/** What went wrong with the mail server, in words an administrator can act on. */
function smtpError(err: unknown): unknown {
  const e = err as { code?: string; message?: string }
  const text = `${e.code ?? ''} ${e.message ?? ''}`
  if (e.code === 'ETLS' || /STARTTLS|certificate|self[- ]signed|TLS/i.test(text))
    return new AppError('UNAVAILABLE', 'errors.smtpTls')
  if (e.code === 'EAUTH') return new AppError('UNAVAILABLE', 'errors.smtpAuth')
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || e.code === 'ETIMEDOUT' || e.code === 'EDNS')
    return new AppError('UNAVAILABLE', 'errors.smtpConnection')
  return err
}
