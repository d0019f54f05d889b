import { createWriteStream } from 'node:fs'
import archiver from 'archiver'

/** A file name safe on every file system (and inside a ZIP: no folders), keeping Chinese. */
export function safeFileName(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 40)
}

/** A ZIP written as files are added (stored, not compressed: audio does not compress), closed once. */
export interface ZipWriter {
  add(path: string, name: string): void
  addBuffer(data: Buffer, name: string): void
  close(): Promise<void>
}

export function zipWriter(file: string): ZipWriter {
  const zip = archiver('zip', { zlib: { level: 0 } })
  const out = createWriteStream(file)
  const closed = new Promise<void>((ok, fail) => {
    out.on('close', ok)
    out.on('error', fail)
    zip.on('error', fail)
  })
  zip.pipe(out)
  return {
    add: (path, name) => void zip.file(path, { name }),
    addBuffer: (data, name) => void zip.append(data, { name }),
    close: async () => {
      await zip.finalize()
      await closed
    }
  }
}
