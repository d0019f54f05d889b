import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import type Database from 'better-sqlite3'
import { AppError } from '../errors'
import { SCHEMA_VERSION, migrate, schemaVersionOf } from './migrate'
import { integrityProblems, openDatabase } from './open'

export interface BackupResult {
  file: string
  bytes: number
  schemaVersion: number
  integrity: 'ok'
}

/** Checks a copy with SQLite's integrity check and reports its schema version. */
export function verifyDatabaseFile(file: string, nativeBinding?: string): { schemaVersion: number } {
  let db: Database.Database
  try {
    db = openDatabase(file, { readonly: true, nativeBinding })
  } catch (err) {
    throw new AppError('INVALID_INPUT', 'errors.notADatabase', { file, reason: (err as Error).message })
  }
  try {
    let problems: string[]
    try {
      problems = integrityProblems(db)
    } catch (err) {
      throw new AppError('INVALID_INPUT', 'errors.notADatabase', { file, reason: (err as Error).message })
    }
    if (problems.length)
      throw new AppError('INVALID_INPUT', 'errors.integrityFailed', { file, problems: problems.slice(0, 3).join('; ') })
    return { schemaVersion: schemaVersionOf(db) }
  } finally {
    db.close()
  }
}

/**
 * Online backup (SQLite's backup API: consistent while others keep writing), then an
 * integrity check of the copy, so a backup that cannot be restored is known at once.
 */
export async function backupDatabase(
  db: Database.Database,
  dest: string,
  nativeBinding?: string
): Promise<BackupResult> {
  mkdirSync(dirname(dest), { recursive: true })
  const tmp = `${dest}.partial`
  rmSync(tmp, { force: true })
  // the copy holds customers' data: the owner's alone, whatever the process umask
  closeSync(openSync(tmp, 'w', 0o600))
  await db.backup(tmp)
  const { schemaVersion } = verifyDatabaseFile(tmp, nativeBinding)
  // the check's read-only connection leaves an empty WAL and shared-memory file beside the copy
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true })
  renameSync(tmp, dest)
  return { file: dest, bytes: statSync(dest).size, schemaVersion, integrity: 'ok' }
}

/**
 * Replaces the database of a data directory with a backup. The backup is checked first; the
 * current database is kept beside it as `leadline.db.before-restore-<time>`; the restored copy is
 * migrated to this build's schema. The caller makes sure no core has the directory open.
 */
export function restoreDatabase(dbFile: string, backupFile: string, now: Date, nativeBinding?: string) {
  if (!existsSync(backupFile)) throw new AppError('NOT_FOUND', 'errors.fileNotFound', { file: backupFile })
  const { schemaVersion } = verifyDatabaseFile(backupFile, nativeBinding)
  if (schemaVersion > SCHEMA_VERSION) {
    throw new AppError('DB_TOO_NEW', undefined, { found: schemaVersion, supported: SCHEMA_VERSION })
  }
  const staged = `${dbFile}.restoring`
  copyFileSync(backupFile, staged)
  let keptAs: string | null = null
  if (existsSync(dbFile)) {
    // Fold the WAL into the main file first so the kept copy is complete on its own.
    const cur = openDatabase(dbFile, { nativeBinding })
    cur.pragma('wal_checkpoint(TRUNCATE)')
    cur.close()
    keptAs = `${dbFile}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`
    renameSync(dbFile, keptAs)
  }
  for (const ext of ['-wal', '-shm']) rmSync(dbFile + ext, { force: true })
  renameSync(staged, dbFile)
  const db = openDatabase(dbFile, { nativeBinding })
  try {
    const migrated = migrate(db)
    return { restoredFrom: backupFile, schemaVersion: migrated.to, previousKeptAs: keptAs }
  } finally {
    db.close()
  }
}
