// Tone files for Chromium's fake microphone (--use-file-for-fake-audio-capture): a pure tone in
// bursts, so that each seat in a monitoring test speaks at its own pitch and a burst's start can be
// timed at the other end. Used by tests/e2e/monitor.spec.ts and bench/monitor.mjs.
import { writeFileSync } from 'node:fs'

/** A 48 kHz 16-bit mono WAV: `hz` for `onMs`, silence for `offMs`, repeated for `seconds`. */
export function writeToneWav(file, hz, { onMs = 300, offMs = 700, seconds = 10, amplitude = 0.5 } = {}) {
  const rate = 48_000
  const n = rate * seconds
  const data = Buffer.alloc(n * 2)
  const period = ((onMs + offMs) * rate) / 1000
  const on = (onMs * rate) / 1000
  for (let i = 0; i < n; i++) {
    const inBurst = i % period < on
    const v = inBurst ? Math.sin((2 * Math.PI * hz * i) / rate) * amplitude : 0
    data.writeInt16LE(Math.round(v * 32767), i * 2)
  }
  const h = Buffer.alloc(44)
  h.write('RIFF', 0)
  h.writeUInt32LE(36 + data.length, 4)
  h.write('WAVE', 8)
  h.write('fmt ', 12)
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20)
  h.writeUInt16LE(1, 22)
  h.writeUInt32LE(rate, 24)
  h.writeUInt32LE(rate * 2, 28)
  h.writeUInt16LE(2, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36)
  h.writeUInt32LE(data.length, 40)
  writeFileSync(file, Buffer.concat([h, data]))
  return file
}
