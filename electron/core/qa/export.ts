import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import archiver from 'archiver'
import ExcelJS from 'exceljs'
import type { Locale, User } from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import type { RecordingFiles } from '../recordings/store'
import { webmToWav } from '../recordings/wav'
import type { QaService } from './service'

function sha256(file: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash('sha256')
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('end', () => ok(h.digest('hex')))
      .on('error', fail)
  })
}

/** A name safe on every file system, keeping Chinese. */
function safe(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 40)
}

/**
 * 录音拷贝: the chosen recordings in one ZIP with a metadata sheet, as stored (Opus/WebM) or as
 * WAV. The sheet names every file with its SHA-256 (the file in the ZIP, and for WAV the stored
 * original's too), so the copy can be checked against the store.
 */
export async function exportRecordings(
  deps: CoreDeps,
  files: RecordingFiles,
  qa: QaService,
  user: User,
  locale: Locale,
  input: { ids: number[]; format: 'original' | 'wav'; exportId: string }
): Promise<{ file: string; fileName: string; files: number; bytes: number }> {
  const t = (k: string) => translate(locale, k)
  const ids = [...new Set(input.ids)]
  const rows = ids.map((id) => {
    const row = qa.row(user, id)
    const r = deps.db.prepare('SELECT file, sha256, state FROM recordings WHERE id = ?').get(id) as { file: string; sha256: string | null; state: string }
    if (r.state === 'recording') throw new AppError('CONFLICT', 'errors.qaStillRecording')
    return { row, abs: files.abs(deps.dataDir, r.file), storedSha: r.sha256 }
  })
  const work = join(deps.dataDir, 'exports', `${input.exportId}-${Date.now()}`)
  mkdirSync(work, { recursive: true })
  const stamp = deps.clock.now().toISOString().replace(/[-:]/g, '').slice(0, 15)
  const zipFile = join(deps.dataDir, 'exports', `recordings-${stamp}-${input.exportId}.zip`)
  try {
    const zip = archiver('zip', { zlib: { level: 0 } }) // audio does not compress
    const out = createWriteStream(zipFile)
    const closed = new Promise<void>((ok, fail) => {
      out.on('close', ok)
      out.on('error', fail)
      zip.on('error', fail)
    })
    zip.pipe(out)
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet(t('qa.export.sheet'))
    const head = ['file', 'callTime', 'operator', 'customer', 'phone', 'campaign', 'outcome', 'district', 'qaVerdict', 'duration', 'sha256', 'storedSha256'].map((k) => t(`qa.export.${k}`))
    ws.addRow(head).font = { bold: true }
    let done = 0
    for (const { row, abs, storedSha } of rows) {
      const time = row.startedAt.replace(/[-:]/g, '').slice(0, 15)
      const base = `${time}_${safe(row.operatorName)}_${safe(row.customerName ?? '-')}_${row.recordingId}`
      let name: string
      let path: string
      if (input.format === 'wav') {
        name = `${base}.wav`
        path = join(work, name)
        await webmToWav(abs, path)
      } else {
        name = `${base}.${abs.endsWith('.ogg') ? 'ogg' : 'webm'}`
        path = abs
      }
      const sha = await sha256(path)
      zip.file(path, { name })
      ws.addRow([
        name,
        new Date(row.startedAt),
        row.operatorName,
        row.customerName ?? '',
        row.phone ?? '',
        row.campaignName ?? '',
        row.outcome ?? '',
        row.district ?? '',
        t(`qa.states.${row.qaState}`),
        Math.round(row.durationMs / 1000),
        sha,
        storedSha ?? ''
      ])
      done++
      deps.events.emit('recordings.exportProgress', { userId: user.id, exportId: input.exportId, done, total: rows.length })
    }
    ws.getColumn(2).numFmt = 'yyyy-mm-dd hh:mm:ss'
    ws.columns.forEach((c, i) => (c.width = i === 0 ? 48 : i >= 10 ? 66 : 14))
    ws.views = [{ state: 'frozen', ySplit: 1 }]
    zip.append((await wb.xlsx.writeBuffer()) as unknown as Buffer, { name: `${t('qa.export.sheetFile')}.xlsx` })
    await zip.finalize()
    await closed
    deps.audit.write({ userId: user.id, username: user.username, action: 'recordings.export', entity: 'recording', details: { ids, format: input.format, files: rows.length }, source: 'core' })
    return { file: zipFile, fileName: `${t('qa.export.zipName')}-${stamp}.zip`, files: rows.length, bytes: statSync(zipFile).size }
  } catch (err) {
    rmSync(zipFile, { force: true })
    throw err
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
