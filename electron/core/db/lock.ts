import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../errors'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function lockFile(dataDir: string): string {
  return join(dataDir, 'leadline.lock')
}

/** The pid of the live process that owns the data directory (a hub or a desktop seat), if any. */
export function dataDirOwner(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(lockFile(dataDir), 'utf8').trim())
    return pid && pid !== process.pid && alive(pid) ? pid : null
  } catch {
    return null
  }
}

/**
 * Marks the data directory as owned by this process. SQLite itself copes with several
 * processes; the lock is for what it cannot: a restore under a running hub.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const owner = dataDirOwner(dataDir)
  if (owner) throw new AppError('CONFLICT', 'errors.dataDirInUse', { pid: owner })
  writeFileSync(lockFile(dataDir), String(process.pid))
  return () => {
    try {
      if (readFileSync(lockFile(dataDir), 'utf8').trim() === String(process.pid)) rmSync(lockFile(dataDir))
    } catch {
      // already gone
    }
  }
}
