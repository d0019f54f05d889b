import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
import { hashFile } from '../hash-file'

/**
 * Recording files under dataDir/recordings/YYYY/MM/DD/: the audio (<id>.webm) and its waveform
 * peaks (<id>.peaks), both appended chunk by chunk and flushed to disk before the chunk is
 * acknowledged, so a crash loses at most the chunk in flight.
 */
export class RecordingFiles {
  readonly root: string
  /** Brings back from the recordings' store a recording whose local copy is gone (a cached copy's path), when there is a store. */
  fetcher: ((rel: string) => Promise<string | null>) | null = null

  constructor(dataDir: string) {
    this.root = join(dataDir, 'recordings')
    mkdirSync(this.root, { recursive: true })
  }

  /** A new relative path for a recording started at `at`. */
  newPath(at: Date, id: number, ext: string): string {
    const d = at.toISOString()
    const rel = join(
      'recordings',
      d.slice(0, 4),
      d.slice(5, 7),
      d.slice(8, 10),
      `${id}-${randomBytes(4).toString('hex')}.${ext}`
    )
    return rel
  }

  /** The absolute path of a stored relative path; refuses anything outside the recordings folder. */
  abs(dataDir: string, rel: string): string {
    const p = resolve(dataDir, rel)
    if (!p.startsWith(this.root + sep)) throw new Error(`recording path outside the store: ${rel}`)
    return p
  }

  /**
   * A readable local file of a recording (exports, packages, a customer's data): the data folder's
   * copy, else a copy fetched from the store into the cache. Outside the recordings folder: refused.
   */
  async local(dataDir: string, rel: string): Promise<string> {
    const p = this.abs(dataDir, rel)
    if (existsSync(p) || !this.fetcher) return p
    return (await this.fetcher(rel)) ?? p
  }

  create(file: string): void {
    mkdirSync(dirname(file), { recursive: true })
    closeSync(openSync(file, 'a'))
    closeSync(openSync(peaksFile(file), 'a'))
  }

  append(file: string, data: Buffer, peaks: Buffer): number {
    appendDurably(file, data)
    if (peaks.length) appendDurably(peaksFile(file), peaks)
    return statSync(file).size
  }

  peaks(file: string): Buffer {
    const p = peaksFile(file)
    return existsSync(p) ? readFileSync(p) : Buffer.alloc(0)
  }

  size(file: string): number {
    return existsSync(file) ? statSync(file).size : 0
  }

  sha256(file: string): Promise<string> {
    return hashFile(file, 'sha256', 'hex')
  }
}

export function peaksFile(file: string): string {
  return file.replace(/\.[^.]+$/, '.peaks')
}

function appendDurably(file: string, data: Buffer): void {
  const fd = openSync(file, 'a')
  try {
    writeSync(fd, data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
