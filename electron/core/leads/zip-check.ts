import { AppError } from '../errors'

/**
 * An XLSX is a ZIP: before a library unpacks one, its directory is read and a file that would
 * unpack to far more than a lead list can be is refused (a "zip bomb": a few MB that expand to GB).
 * A real list of a million rows unpacks to well under 1 GB at ratios of 5–30.
 */
export const ZIP_LIMITS = {
  entries: 2_000,
  totalBytes: 1024 * 1024 * 1024,
  /** Unpacked ÷ packed, for parts larger than 1 MB unpacked. */
  ratio: 200
}

/** The memory an import's threads may use (V8 heap, MB): a list needs far less; a bomb that got past the directory check ends there. */
export const IMPORT_THREAD_LIMITS = { maxOldGenerationSizeMb: 2048, maxYoungGenerationSizeMb: 64 }

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50

export function checkZipDirectory(buf: Buffer, limits = ZIP_LIMITS): void {
  const refuse = (reason: string) => {
    throw new AppError('INVALID_INPUT', 'errors.zipTooBig', { reason })
  }
  // the end-of-directory record: in the last 64 KB (+22) of the file
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return // not a readable ZIP: the reader says so in its own words
  const entries = buf.readUInt16LE(eocd + 10)
  let at = buf.readUInt32LE(eocd + 16)
  if (entries === 0xffff || at === 0xffffffff) refuse('zip64')
  if (entries > limits.entries) refuse(`entries ${entries}`)
  let total = 0
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) return
    const packed = buf.readUInt32LE(at + 20)
    const unpacked = buf.readUInt32LE(at + 24)
    if (packed === 0xffffffff || unpacked === 0xffffffff) refuse('zip64')
    total += unpacked
    if (total > limits.totalBytes) refuse(`total ${total}`)
    if (unpacked > 1024 * 1024 && unpacked / Math.max(1, packed) > limits.ratio)
      refuse(`ratio ${Math.round(unpacked / Math.max(1, packed))}`)
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32)
  }
}
