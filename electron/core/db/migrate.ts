/// <reference types="vite/client" />
import type Database from 'better-sqlite3'
import { AppError } from '../errors'

export interface Migration {
  version: number
  name: string
  sql: string
}

// Bundled into the build by Vite, so the packaged app and the CLI carry their migrations.
const files = import.meta.glob<string>('./migrations/*.sql', { query: '?raw', import: 'default', eager: true })

function loadMigrations(): Migration[] {
  const list = Object.entries(files).map(([path, sql]) => {
    const m = /\/(\d{4})_([\w-]+)\.sql$/.exec(path)
    if (!m) throw new Error(`bad migration file name: ${path}`)
    return { version: Number(m[1]), name: m[2], sql }
  })
  list.sort((a, b) => a.version - b.version)
  list.forEach((mig, i) => {
    if (mig.version !== i + 1)
      throw new Error(`migrations must be numbered 0001, 0002, … without gaps (at ${mig.name})`)
  })
  return list
}

export const MIGRATIONS: readonly Migration[] = loadMigrations()
export const SCHEMA_VERSION = MIGRATIONS.length

export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Brings the database up to `target` (default: the newest this build knows) in one
 * transaction: either every pending migration applies, or none does. A database written by
 * a newer LeadLine is refused rather than opened and damaged.
 */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): { from: number; to: number } {
  const from = schemaVersionOf(db)
  if (from > SCHEMA_VERSION) {
    throw new AppError('DB_TOO_NEW', undefined, { found: from, supported: SCHEMA_VERSION })
  }
  if (from >= target) return { from, to: from }
  db.transaction(() => {
    for (const mig of MIGRATIONS.slice(from, target)) db.exec(mig.sql)
    db.pragma(`user_version = ${target}`)
  }).immediate()
  // from 0028 on, freed space is zeroed (secure_delete, openDatabase): a database from before keeps
  // old copies of changed rows in its free space, which one compaction at the upgrade removes
  if (from > 0 && from < 28 && target >= 28) db.exec('VACUUM')
  return { from, to: target }
}
