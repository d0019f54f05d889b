import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'

/**
 * Recordings to WAV for players that do not know Opus (录音拷贝 for people whose tools need it),
 * in plain Node on every platform: the WebM container is read here, the Opus frames are decoded
 * by libopus compiled to WebAssembly (opus-decoder), and 16-bit PCM is written as it comes, so an
 * hour-long call never sits decoded in memory.
 */

const ID = {
  segment: 0x18538067,
  cluster: 0x1f43b675,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  codecPrivate: 0x63a2,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1
}
/** Elements whose children are read; every other element is skipped by its size. */
const MASTERS = new Set([ID.segment, ID.cluster, ID.tracks, ID.trackEntry, ID.blockGroup])

interface Vint {
  value: number
  length: number
  /** All data bits set: an element of unknown size (MediaRecorder writes its Segment and Clusters so). */
  unknown: boolean
}

function vint(buf: Buffer, at: number, keepMarker: boolean): Vint | null {
  if (at >= buf.length) return null
  const first = buf[at]
  let length = 1
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++
  if (length > 8 || at + length > buf.length) return null
  let value = keepMarker ? first : first & (0xff >> length)
  let ones = (first & (0xff >> length)) === 0xff >> length
  for (let i = 1; i < length; i++) {
    value = value * 256 + buf[at + i]
    if (buf[at + i] !== 0xff) ones = false
  }
  return { value, length, unknown: !keepMarker && ones }
}

export interface OpusTrack {
  channels: number
  preSkip: number
  /** The Opus packets in order (a recording cut off by a crash ends where its bytes end). */
  frames: Buffer[]
}

/** The Opus track of a WebM file as MediaRecorder writes it (one audio track, no lacing). */
export function readWebmOpus(buf: Buffer): OpusTrack {
  const track: OpusTrack = { channels: 2, preSkip: 0, frames: [] }
  const walk = (from: number, to: number): void => {
    let at = from
    while (at < to) {
      const id = vint(buf, at, true)
      if (!id) return
      const size = vint(buf, at + id.length, false)
      if (!size) return
      const body = at + id.length + size.length
      const end = size.unknown ? to : Math.min(to, body + size.value)
      if (MASTERS.has(id.value)) {
        walk(body, end)
        if (size.unknown) return
      } else if (id.value === ID.codecPrivate) {
        // OpusHead: magic, version, channel count, pre-skip (LE)
        if (buf.toString('latin1', body, body + 8) === 'OpusHead') {
          track.channels = buf[body + 9]
          track.preSkip = buf.readUInt16LE(body + 10)
        }
      } else if ((id.value === ID.simpleBlock || id.value === ID.block) && body + size.value <= buf.length) {
        const tn = vint(buf, body, false)
        if (tn) {
          const flags = buf[body + tn.length + 2]
          const lacing = (flags >> 1) & 3
          if (lacing === 0) track.frames.push(buf.subarray(body + tn.length + 3, body + size.value))
        }
      }
      at = size.unknown ? end : body + size.value
    }
  }
  walk(0, buf.length)
  return track
}

function wavHeader(dataBytes: number, channels: number, rate: number): Buffer {
  const h = Buffer.alloc(44)
  h.write('RIFF', 0, 'latin1')
  h.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4)
  h.write('WAVE', 8, 'latin1')
  h.write('fmt ', 12, 'latin1')
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20) // PCM
  h.writeUInt16LE(channels, 22)
  h.writeUInt32LE(rate, 24)
  h.writeUInt32LE(rate * channels * 2, 28)
  h.writeUInt16LE(channels * 2, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36, 'latin1')
  h.writeUInt32LE(Math.min(0xffffffff, dataBytes), 40)
  return h
}

/** Writes `webmFile` as a 16-bit 48 kHz WAV with the same channels; returns the audio's length in ms. */
export async function webmToWav(webmFile: string, wavFile: string): Promise<number> {
  const track = readWebmOpus(readFileSync(webmFile))
  // ESM only; a dynamic import loads it from the CommonJS main bundle too.
  const { OpusDecoder } = await import('opus-decoder')
  const decoder = new OpusDecoder({
    channels: track.channels,
    preSkip: track.preSkip,
    forceStereo: track.channels === 2
  })
  await decoder.ready
  const channels = track.channels === 1 ? 1 : 2
  const fd = openSync(wavFile, 'w')
  let dataBytes = 0
  try {
    writeSync(fd, wavHeader(0, channels, 48000))
    for (const frame of track.frames) {
      const { channelData, samplesDecoded } = decoder.decodeFrame(frame)
      // the decoder drops the pre-skip itself
      const n = samplesDecoded
      if (n <= 0) continue
      const out = Buffer.alloc(n * channels * 2)
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < channels; c++) {
          const s = Math.max(-1, Math.min(1, channelData[c][i]))
          out.writeInt16LE(Math.round(s < 0 ? s * 0x8000 : s * 0x7fff), (i * channels + c) * 2)
        }
      }
      writeSync(fd, out)
      dataBytes += out.length
    }
    writeSync(fd, wavHeader(dataBytes, channels, 48000), 0, 44, 0)
  } finally {
    closeSync(fd)
    decoder.free()
  }
  return Math.round((dataBytes / (channels * 2) / 48000) * 1000)
}
