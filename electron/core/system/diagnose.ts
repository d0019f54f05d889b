import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { arch, platform, release } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../db/open'
import { maskPersonal } from '../log-file'
import { zipWriter } from '../zip'
import { DiagnoseRepo } from './diagnose-repo'

/** Setting keys whose values are never put in a support bundle, whatever they hold. */
const SECRET_KEY = /pass|secret|token|credential|key$/i

/** Everything support needs about an installation, in one ZIP: versions, settings, counts, the logs. */
export interface DiagnoseResult {
  file: string
  logs: string[]
  schemaVersion: number | null
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '(removed)' : withoutSecrets(v)])
    )
  return value
}

/**
 * `leadline diagnose`: reads the data folder without taking it (a running hub keeps working): the
 * database read-only for its schema, settings (secrets removed) and counts (no rows), the log files
 * (masked again, in case an older build wrote a number). No recordings, no leads, no keys.
 */
export async function diagnose(
  dataDir: string,
  file: string,
  about: { appVersion: string; nativeBinding?: string }
): Promise<DiagnoseResult> {
  const zip = zipWriter(file)
  const info: Record<string, unknown> = {
    app: about.appVersion,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    platform: `${platform()} ${release()} ${arch()}`,
    at: new Date().toISOString()
  }
  let schemaVersion: number | null = null
  const dbFile = join(dataDir, 'leadline.db')
  if (existsSync(dbFile)) {
    const db = openDatabase(dbFile, { readonly: true, nativeBinding: about.nativeBinding })
    try {
      const repo = new DiagnoseRepo(db)
      schemaVersion = repo.schemaVersion()
      info.schemaVersion = schemaVersion
      info.sqlite = repo.sqliteVersion()
      info.counts = repo.counts()
      const settings = Object.fromEntries(repo.settings().map((s) => [s.key, JSON.parse(s.value) as unknown]))
      zip.addBuffer(Buffer.from(JSON.stringify(withoutSecrets(settings), null, 2)), 'settings.json')
    } finally {
      db.close()
    }
  } else info.database = 'none'
  zip.addBuffer(Buffer.from(JSON.stringify(info, null, 2)), 'about.json')
  const logDir = join(dataDir, 'logs')
  const logs = existsSync(logDir)
    ? readdirSync(logDir)
        .filter((f) => f.endsWith('.log') && statSync(join(logDir, f)).isFile())
        .sort()
    : []
  for (const f of logs) zip.addBuffer(Buffer.from(maskPersonal(readFileSync(join(logDir, f), 'utf8'))), `logs/${f}`)
  await zip.close()
  return { file, logs, schemaVersion }
}
