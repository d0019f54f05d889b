import type { MethodName } from '../../shared/contract'
import type { CoreConnection } from '../../electron/core'
import { ok } from './core'

export const PER_SEC = 50
/**
 * Peaks of a call whose answers are known: each side speaks (a tone at `level`) in the given
 * spans of seconds, over a faint noise floor; 20 ms frames of int8 min/max, left then right.
 */
export function peaksOf(
  seconds: number,
  operator: [number, number][],
  customer: [number, number][],
  level = 0.5
): Buffer {
  const frames = seconds * PER_SEC
  const buf = Buffer.alloc(frames * 4)
  const loud = (spans: [number, number][], f: number) => spans.some(([a, b]) => f >= a * PER_SEC && f < b * PER_SEC)
  for (let f = 0; f < frames; f++) {
    const noise = 1 + (f % 3) // ~1–3 / 127: a quiet line
    const op = loud(operator, f) ? Math.round(level * 127) : noise
    const cu = loud(customer, f) ? Math.round(level * 127) : noise
    buf.writeInt8(-op, f * 4)
    buf.writeInt8(op, f * 4 + 1)
    buf.writeInt8(-cu, f * 4 + 2)
    buf.writeInt8(cu, f * 4 + 3)
  }
  return buf
}

/** An operator's recorded call, chunk by chunk as the softphone sends it, with the given peaks and audio bytes. */
export async function recordCall(
  op: CoreConnection,
  callId: number,
  peaks: Buffer,
  audio: Buffer = Buffer.from('not really audio'),
  cause: 'operator' | 'customer' = 'operator'
): Promise<number> {
  const call = <T>(m: MethodName, i: unknown) => ok<T>(op.invoke(m, i as never))
  const { recordingId } = await call<{ recordingId: number }>('recordings.start', {
    callId,
    mime: 'audio/webm;codecs=opus'
  })
  const seconds = Math.ceil(peaks.length / (PER_SEC * 4))
  const slice = Math.ceil(audio.length / seconds)
  for (let s = 0; s < seconds; s++) {
    await call('recordings.chunk', {
      recordingId,
      seq: s,
      data: audio.subarray(s * slice, (s + 1) * slice).toString('base64'),
      peaks: peaks.subarray(s * PER_SEC * 4, (s + 1) * PER_SEC * 4).toString('base64'),
      durationMs: Math.min((s + 1) * 1000, (peaks.length / 4 / PER_SEC) * 1000)
    })
  }
  await call('calls.end', { callId, cause, answered: true })
  await call('recordings.finish', { recordingId, durationMs: (peaks.length / 4 / PER_SEC) * 1000 })
  return recordingId
}
