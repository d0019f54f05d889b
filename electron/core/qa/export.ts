import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { safeRow } from '../spreadsheet'
import { join } from 'node:path'
import { safeFileName, zipWriter, type ZipWriter } from '../zip'
import ExcelJS from 'exceljs'
import type { Locale, User } from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import type { RecordingFiles } from '../recordings/store'
import { webmToWav } from '../recordings/wav'
import type { QaLibrary } from './library'

/** Where an export goes: a ZIP, or a folder; files added one by one, the sheet last, then closed. */
type Sink = ZipWriter

function folderSink(dir: string): Sink {
  mkdirSync(dir, { recursive: true })
  return {
    add: (path, name) => {
      if (path !== join(dir, name)) copyFileSync(path, join(dir, name))
    },
    addBuffer: (data, name) => writeFileSync(join(dir, name), data),
    close: async () => {}
  }
}

/**
 * 录音拷贝: the chosen recordings with a metadata sheet, in one ZIP or into a folder, as stored
 * (Opus/WebM) or as WAV. The sheet names every file with its SHA-256 (the copy, and the stored
 * original's), so the copy can be checked against the store.
 */
export async function exportRecordings(
  deps: CoreDeps,
  files: RecordingFiles,
  library: QaLibrary,
  user: User,
  locale: Locale,
  input: { ids: number[]; format: 'original' | 'wav'; exportId: string },
  /** A folder to write into (a subfolder is made in it); a ZIP under the data directory otherwise. */
  folder?: string
): Promise<{ file: string; fileName: string; files: number; bytes: number }> {
  const t = (k: string) => translate(locale, k)
  const ids = [...new Set(input.ids)]
  const found = ids.map((id) => {
    const row = library.row(user, id)
    const r = library.repo.recordingFile(id)!
    if (r.state === 'recording') throw new AppError('CONFLICT', 'errors.qaStillRecording')
    return { row, file: r.file, storedSha: r.sha256 }
  })
  // archived in the store: fetched back first (into the local cache)
  const rows: ((typeof found)[number] & { abs: string })[] = []
  for (const f of found) rows.push({ ...f, abs: await files.local(deps.dataDir, f.file) })
  const stamp = deps.clock.now().toISOString().replace(/[-:]/g, '').slice(0, 15)
  const target = folder
    ? join(folder, `${t('qa.export.zipName')}-${stamp}`)
    : join(deps.dataDir, 'exports', `recordings-${stamp}-${input.exportId}.zip`)
  // WAV files are made here first (a folder export writes them in place)
  const work = folder ? target : join(deps.dataDir, 'exports', `${input.exportId}-${Date.now()}`)
  mkdirSync(work, { recursive: true })
  try {
    const sink = folder ? folderSink(target) : zipWriter(target)
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet(t('qa.export.sheet'))
    const head = [
      'file',
      'callTime',
      'operator',
      'customer',
      'phone',
      'phoneRegion',
      'shownNumber',
      'campaign',
      'outcome',
      'district',
      'qaVerdict',
      'duration',
      'sha256',
      'storedSha256'
    ].map((k) => t(`qa.export.${k}`))
    ws.addRow(safeRow(head)).font = { bold: true }
    let done = 0
    for (const { row, abs, storedSha } of rows) {
      const time = row.startedAt.replace(/[-:]/g, '').slice(0, 15)
      const base = `${time}_${safeFileName(row.operatorName)}_${safeFileName(row.customerName ?? '-')}_${row.recordingId}`
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
      const sha = await files.sha256(path)
      sink.add(path, name)
      ws.addRow(
        safeRow([
          name,
          new Date(row.startedAt),
          row.operatorName,
          row.customerName ?? '',
          row.phone ?? '',
          row.phoneRegion,
          row.shownNumber ?? '',
          row.campaignName ?? '',
          row.outcome ?? '',
          row.district ?? '',
          t(`qa.states.${row.qaState}`),
          Math.round(row.durationMs / 1000),
          sha,
          storedSha ?? ''
        ])
      )
      done++
      deps.events.emit('recordings.exportProgress', {
        userId: user.id,
        exportId: input.exportId,
        done,
        total: rows.length
      })
    }
    ws.getColumn(2).numFmt = 'yyyy-mm-dd hh:mm:ss'
    ws.columns.forEach((c, i) => (c.width = i === 0 ? 48 : i >= 10 ? 66 : 14))
    ws.views = [{ state: 'frozen', ySplit: 1 }]
    sink.addBuffer(Buffer.from(await wb.xlsx.writeBuffer()), `${t('qa.export.sheetFile')}.xlsx`)
    await sink.close()
    deps.audit.write({
      userId: user.id,
      username: user.username,
      action: 'recordings.export',
      entity: 'recording',
      details: { ids, format: input.format, files: rows.length, to: folder ? 'folder' : 'zip' },
      source: 'core'
    })
    const bytes = folder ? rows.reduce((s, r) => s + statSync(r.abs).size, 0) : statSync(target).size
    return {
      file: target,
      fileName: folder ? target : `${t('qa.export.zipName')}-${stamp}.zip`,
      files: rows.length,
      bytes
    }
  } catch (err) {
    // nothing half-written is left behind
    rmSync(target, { recursive: true, force: true })
    throw err
  } finally {
    if (!folder) rmSync(work, { recursive: true, force: true })
  }
}
