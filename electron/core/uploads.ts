import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from './errors'

export const UPLOAD_CHUNK = 1024 * 1024
/** The largest list taken: a million rows of a CSV or an XLSX are well under it. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024

interface Upload {
  file: string
  name: string
  size: number
  received: number
  userId: number
}

/**
 * Files sent in chunks over the contract (IPC or WebSocket alike), written under
 * dataDir/uploads. Only the user who began an upload may add to it or use it.
 */
export class UploadStore {
  private uploads = new Map<string, Upload>()
  private dir: string

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'uploads')
    mkdirSync(this.dir, { recursive: true })
    // Leftovers of an earlier run (a crash mid-upload) are of no use now.
    for (const f of readdirSync(this.dir)) rmSync(join(this.dir, f), { force: true })
  }

  begin(name: string, size: number, userId: number): string {
    if (size > MAX_UPLOAD_BYTES)
      throw new AppError('INVALID_INPUT', 'errors.uploadTooBig', { size: mb(size), max: mb(MAX_UPLOAD_BYTES) })
    const id = randomBytes(18).toString('base64url')
    const file = join(this.dir, id)
    closeSync(openSync(file, 'w'))
    this.uploads.set(id, { file, name, size, received: 0, userId })
    return id
  }

  chunk(id: string, offset: number, data: Buffer, userId: number): { received: number; complete: boolean } {
    const u = this.mine(id, userId)
    if (offset !== u.received || offset + data.length > u.size)
      throw new AppError('CONFLICT', 'errors.uploadOutOfOrder')
    const fd = openSync(u.file, 'r+')
    try {
      writeSync(fd, data, 0, data.length, offset)
    } finally {
      closeSync(fd)
    }
    u.received += data.length
    return { received: u.received, complete: u.received === u.size }
  }

  /** A complete upload of this user: its file and name. */
  complete(id: string, userId: number): { file: string; name: string } {
    const u = this.mine(id, userId)
    if (u.received !== u.size || statSync(u.file).size !== u.size)
      throw new AppError('CONFLICT', 'errors.uploadIncomplete')
    return { file: u.file, name: u.name }
  }

  remove(id: string): void {
    const u = this.uploads.get(id)
    if (u) rmSync(u.file, { force: true })
    this.uploads.delete(id)
  }

  private mine(id: string, userId: number): Upload {
    const u = this.uploads.get(id)
    if (!u || u.userId !== userId) throw new AppError('NOT_FOUND', 'errors.uploadNotFound')
    return u
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`
