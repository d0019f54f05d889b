import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto'
import {
  chmodSync,
  closeSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type Database from 'better-sqlite3'
import { AppError } from '../errors'
import { backupDatabase, restoreDatabase } from '../db/backup'
import { openDatabase } from '../db/open'
import { BackupFilesRepo } from './repo'

/**
 * A backup that brings everything back: the database (online backup, checked), the sealing key
 * (encrypted with a passphrase, never in the clear beside the data) and the recordings —
 * incrementally, into one mirror shared by all sets, each new file checked by its SHA-256 —
 * so its time follows what changed, not what exists.
 *
 *   DEST/recordings/…              the recordings mirror (same layout as the data folder)
 *   DEST/recordings.index.json     what the mirror holds: path → size, SHA-256 (and since when it is
 *                                  gone from the data folder: kept keepDays more, for the sets that name it)
 *   DEST/leadline-<time>/leadline.db.enc, secret.key.enc, manifest.json
 *
 * The database copy is encrypted under the passphrase like the key (AES-256-GCM, scrypt): a backup
 * disk or NAS never holds the customers' data in the clear. A set of an older version (leadline.db)
 * still restores.
 */

const INDEX = 'recordings.index.json'
const SET_PREFIX = 'leadline-'

const DB_PLAIN = 'leadline.db'
const DB_SEALED = 'leadline.db.enc'

type Index = Record<string, { size: number; sha256: string; goneAt?: string }>

export interface FullBackupResult {
  dest: string
  set: string
  database: { bytes: number; schemaVersion: number }
  recordings: { files: number; copied: number; bytes: number; pruned: number }
  removedSets: string[]
  seconds: number
}

const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }

/** The sealing key, encrypted with a key derived from the passphrase (scrypt, AES-256-GCM). */
export function sealKey(key: Buffer, passphrase: string): string {
  const salt = randomBytes(16)
  const iv = randomBytes(12)
  const k = scryptSync(passphrase, salt, 32, SCRYPT)
  const c = createCipheriv('aes-256-gcm', k, iv)
  const data = Buffer.concat([c.update(key), c.final()])
  return JSON.stringify({
    v: 1,
    kdf: 'scrypt',
    N: 32768,
    r: 8,
    p: 1,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
    data: data.toString('base64')
  })
}

export function openKey(sealed: string, passphrase: string): Buffer {
  const s = JSON.parse(sealed) as {
    v: number
    N: number
    r: number
    p: number
    salt: string
    iv: string
    tag: string
    data: string
  }
  const k = scryptSync(passphrase, Buffer.from(s.salt, 'base64'), 32, {
    N: s.N,
    r: s.r,
    p: s.p,
    maxmem: 64 * 1024 * 1024
  })
  try {
    const d = createDecipheriv('aes-256-gcm', k, Buffer.from(s.iv, 'base64'))
    d.setAuthTag(Buffer.from(s.tag, 'base64'))
    return Buffer.concat([d.update(Buffer.from(s.data, 'base64')), d.final()])
  } catch {
    throw new AppError('INVALID_INPUT', 'errors.backupPassphrase')
  }
}

/**
 * A file encrypted under the passphrase, streamed: a 4-byte length and a JSON header (scrypt's
 * parameters, salt and IV), the ciphertext, and GCM's 16-byte tag at the end.
 */
export async function sealFile(from: string, to: string, passphrase: string): Promise<void> {
  const salt = randomBytes(16)
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', scryptSync(passphrase, salt, 32, SCRYPT), iv)
  const header = Buffer.from(
    JSON.stringify({
      v: 1,
      kdf: 'scrypt',
      N: SCRYPT.N,
      r: SCRYPT.r,
      p: SCRYPT.p,
      salt: salt.toString('base64'),
      iv: iv.toString('base64')
    })
  )
  const len = Buffer.alloc(4)
  len.writeUInt32BE(header.length)
  const out = createWriteStream(to, { mode: 0o600 })
  out.write(Buffer.concat([len, header]))
  await pipeline(createReadStream(from), c, out, { end: false })
  await new Promise<void>((ok, fail) => out.end(c.getAuthTag(), () => ok()).once('error', fail))
}

/** Opens what sealFile wrote into `to`; a wrong passphrase (or a damaged file) leaves nothing behind. */
export async function openFile(from: string, to: string, passphrase: string): Promise<void> {
  const size = statSync(from).size
  const fd = openSync(from, 'r')
  let start: number
  let s: { N: number; r: number; p: number; salt: string; iv: string }
  const tag = Buffer.alloc(16)
  try {
    const len = Buffer.alloc(4)
    readSync(fd, len, 0, 4, 0)
    const header = Buffer.alloc(len.readUInt32BE(0))
    readSync(fd, header, 0, header.length, 4)
    s = JSON.parse(header.toString('utf8')) as typeof s
    start = 4 + header.length
    readSync(fd, tag, 0, 16, size - 16)
  } catch {
    throw new AppError('CONFLICT', 'errors.backupChecksum', { file: from })
  } finally {
    closeSync(fd)
  }
  const k = scryptSync(passphrase, Buffer.from(s.salt, 'base64'), 32, { N: s.N, r: s.r, p: s.p, maxmem: SCRYPT.maxmem })
  const d = createDecipheriv('aes-256-gcm', k, Buffer.from(s.iv, 'base64'))
  d.setAuthTag(tag)
  try {
    await pipeline(createReadStream(from, { start, end: size - 17 }), d, createWriteStream(to, { mode: 0o600 }))
  } catch {
    rmSync(to, { force: true })
    throw new AppError('INVALID_INPUT', 'errors.backupPassphrase')
  }
}

function* filesUnder(dir: string): Generator<string> {
  if (!existsSync(dir)) return
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) yield* filesUnder(p)
    else if (e.isFile()) yield p
  }
}

/** Copies a file through a hash: the copy's SHA-256, from the bytes written. */
async function copyHashed(from: string, to: string): Promise<string> {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 })
  const tmp = `${to}.partial`
  const h = createHash('sha256')
  const src = createReadStream(from)
  src.on('data', (d) => h.update(d))
  // customers' voices: readable by the backup's owner alone, whatever the process umask
  await pipeline(src, createWriteStream(tmp, { mode: 0o600 }))
  renameSync(tmp, to)
  return h.digest('hex')
}

const stampOf = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')

export async function fullBackup(o: {
  db: Database.Database
  dataDir: string
  dest: string
  passphrase: string
  now: Date
  keepDays?: number
  nativeBinding?: string
}): Promise<FullBackupResult> {
  if (!o.passphrase) throw new AppError('INVALID_INPUT', 'errors.backupPassphraseRequired')
  const started = Date.now()
  mkdirSync(o.dest, { recursive: true, mode: 0o700 })
  const set = join(o.dest, `${SET_PREFIX}${stampOf(o.now)}`)
  const partial = `${set}.partial`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true, mode: 0o700 })
  // 1. the database, online and checked, beside the live one; only its encrypted copy goes to the backup
  const plain = join(o.dataDir, `backup-${stampOf(o.now)}.db.tmp`)
  let db: Awaited<ReturnType<typeof backupDatabase>>
  try {
    db = await backupDatabase(o.db, plain, o.nativeBinding)
    chmodSync(plain, 0o600)
    await sealFile(plain, join(partial, DB_SEALED), o.passphrase)
  } finally {
    rmSync(plain, { force: true })
  }
  // 2. the key that seals SIP and SMTP passwords, under the passphrase
  const keyFile = join(o.dataDir, 'secret.key')
  if (existsSync(keyFile))
    writeFileSync(join(partial, 'secret.key.enc'), sealKey(readFileSync(keyFile), o.passphrase), { mode: 0o600 })
  // 3. the recordings, what is new or has grown since the last backup; each copy checked against the SHA-256 core stored
  const indexFile = join(o.dest, INDEX)
  const index: Index = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')) as Index) : {}
  const files = new BackupFilesRepo(o.db)
  const known = new Map(files.closedRecordings().map((r) => [r.file.split(sep).join('/'), r.sha256]))
  const open = new Set(files.openRecordings().map((f) => f.split(sep).join('/')))
  const inStore = new Set(files.storedRecordings().map((f) => f.split(sep).join('/')))
  let copied = 0
  let bytes = 0
  let total = 0
  const present = new Set<string>()
  for (const f of filesUnder(join(o.dataDir, 'recordings'))) {
    const rel = relative(o.dataDir, f).split(sep).join('/')
    present.add(rel)
    // a call still being recorded is taken next time, whole
    if (open.has(rel) || (rel.endsWith('.peaks') && open.has(rel.replace(/\.peaks$/, '.webm')))) continue
    // archived in the S3 store (its local copy only a cache): the store keeps it
    if (inStore.has(rel) || (rel.endsWith('.peaks') && inStore.has(rel.replace(/\.peaks$/, '.webm')))) continue
    total++
    const size = statSync(f).size
    if (index[rel]?.size === size) continue
    const sha256 = await copyHashed(f, join(o.dest, rel))
    const expected = known.get(rel)
    if (expected && expected !== sha256) throw new AppError('CONFLICT', 'errors.backupChecksum', { file: rel })
    index[rel] = { size, sha256 }
    copied++
    bytes += size
  }
  // a recording gone from the data folder (retention, a restore) stays in the mirror while a kept set
  // may name it — keepDays from when it went — and then goes: the mirror does not grow forever
  let pruned = 0
  for (const [rel, e] of Object.entries(index)) {
    if (present.has(rel)) {
      delete e.goneAt
      continue
    }
    e.goneAt ??= o.now.toISOString()
    if (o.keepDays && o.now.getTime() - new Date(e.goneAt).getTime() > o.keepDays * 86_400_000) {
      rmSync(join(o.dest, rel), { force: true })
      delete index[rel]
      pruned++
    }
  }
  writeFileSync(`${indexFile}.partial`, JSON.stringify(index), { mode: 0o600 })
  renameSync(`${indexFile}.partial`, indexFile)
  writeFileSync(
    join(partial, 'manifest.json'),
    JSON.stringify(
      {
        at: o.now.toISOString(),
        schemaVersion: db.schemaVersion,
        recordings: total,
        key: existsSync(keyFile),
        database: DB_SEALED
      },
      null,
      2
    ),
    { mode: 0o600 }
  )
  renameSync(partial, set)
  // 4. sets older than keepDays go (the mirror stays: recordings have their own retention)
  const removedSets: string[] = []
  if (o.keepDays) {
    const cutoff = o.now.getTime() - o.keepDays * 86_400_000
    for (const e of readdirSync(o.dest)) {
      if (!e.startsWith(SET_PREFIX) || e.endsWith('.partial') || join(o.dest, e) === set) continue
      const m = readManifest(join(o.dest, e))
      if (m && new Date(m.at).getTime() < cutoff) {
        rmSync(join(o.dest, e), { recursive: true, force: true })
        removedSets.push(e)
      }
    }
  }
  return {
    dest: o.dest,
    set,
    database: { bytes: db.bytes, schemaVersion: db.schemaVersion },
    recordings: { files: total, copied, bytes, pruned },
    removedSets,
    seconds: (Date.now() - started) / 1000
  }
}

function readManifest(set: string): { at: string; schemaVersion: number } | null {
  try {
    return JSON.parse(readFileSync(join(set, 'manifest.json'), 'utf8')) as { at: string; schemaVersion: number }
  } catch {
    return null
  }
}

/** Whether a path is a set made by fullBackup (a folder with its manifest). */
export function isBackupSet(path: string): boolean {
  return (
    existsSync(join(path, 'manifest.json')) && (existsSync(join(path, DB_SEALED)) || existsSync(join(path, DB_PLAIN)))
  )
}

/**
 * Brings a set back into a data folder: the database (checked, the current one kept beside it),
 * the sealing key (opened with the passphrase) and every recording the database names, from the
 * mirror, each checked by its SHA-256. The caller makes sure no core has the folder open.
 */
export async function fullRestore(o: {
  dataDir: string
  set: string
  passphrase: string
  now: Date
  nativeBinding?: string
}) {
  if (!isBackupSet(o.set)) throw new AppError('NOT_FOUND', 'errors.notABackupSet', { file: o.set })
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 })
  // the key first: a wrong passphrase changes nothing
  const sealed = join(o.set, 'secret.key.enc')
  const key = existsSync(sealed) ? openKey(readFileSync(sealed, 'utf8'), o.passphrase) : null
  // the database opened beside the data (never in the clear on the backup disk), then checked and put in place
  let db: ReturnType<typeof restoreDatabase>
  if (existsSync(join(o.set, DB_SEALED))) {
    const opened = join(o.dataDir, `restore-${stampOf(o.now)}.db.tmp`)
    try {
      await openFile(join(o.set, DB_SEALED), opened, o.passphrase)
      db = restoreDatabase(join(o.dataDir, DB_PLAIN), opened, o.now, o.nativeBinding)
    } finally {
      rmSync(opened, { force: true })
    }
  } else db = restoreDatabase(join(o.dataDir, DB_PLAIN), join(o.set, DB_PLAIN), o.now, o.nativeBinding)
  if (key) writeFileSync(join(o.dataDir, 'secret.key'), key, { mode: 0o600 })
  const mirror = dirname(o.set)
  const conn = openDatabase(join(o.dataDir, DB_PLAIN), { readonly: true, nativeBinding: o.nativeBinding })
  let restored = 0
  let inStore = 0
  const missing: string[] = []
  try {
    const rows = new BackupFilesRepo(conn).allRecordings()
    for (const r of rows) {
      for (const rel of [r.file, r.file.replace(/\.[^.]+$/, '.peaks')]) {
        const from = join(mirror, rel)
        const to = join(o.dataDir, rel)
        if (!existsSync(from)) {
          // in the S3 store: played and exported from there
          if (rel === r.file && r.object_key) inStore++
          else if (rel === r.file) missing.push(rel)
          continue
        }
        mkdirSync(dirname(to), { recursive: true, mode: 0o700 })
        copyFileSync(from, to)
        chmodSync(to, 0o600)
        if (rel === r.file && r.sha256 && createHash('sha256').update(readFileSync(to)).digest('hex') !== r.sha256)
          throw new AppError('CONFLICT', 'errors.backupChecksum', { file: rel })
        if (rel === r.file) restored++
      }
    }
  } finally {
    conn.close()
  }
  return { ...db, key: key !== null, recordings: { restored, missing, inStore } }
}
