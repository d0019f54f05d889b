/**
 * What the two channels of a call say without speech recognition, from the stored peaks
 * (per frame: int8 min and max of the left channel — the operator — then of the right — the
 * customer): who talked how much, silences, talk-over (抢话), the operator's longest monologue
 * and the time to the customer's first word.
 */
export interface CallAnalysis {
  durationMs: number
  operatorTalkShare: number
  customerTalkShare: number
  silenceShare: number
  longestSilenceMs: number
  talkOverShare: number
  talkOverMs: number
  longestMonologueMs: number
  /** null: the customer never spoke. */
  firstCustomerWordMs: number | null
}

const FRAME_BYTES = 4
/** A voice is on when its peak is this far over the channel's own noise floor, and at least this loud. */
const OVER_FLOOR = 3
const MIN_LEVEL = 0.04
/** … but never above this (a channel loud all the time has no quiet fifth to learn a floor from). */
const MAX_THRESHOLD = 0.15
/** Pauses between words shorter than this do not end a turn. */
const HANGOVER_MS = 250
/** A monologue goes on through the operator's own pauses up to this long (breathing, reading). */
const MONOLOGUE_GAP_MS = 1500

function activity(peaks: Uint8Array | Buffer, frames: number, channel: 0 | 1, frameMs: number): Uint8Array {
  const level = new Float32Array(frames)
  for (let f = 0; f < frames; f++) {
    const o = f * FRAME_BYTES + channel * 2
    const min = (peaks[o] << 24) >> 24 // int8
    const max = (peaks[o + 1] << 24) >> 24
    level[f] = Math.max(Math.abs(min), Math.abs(max)) / 127
  }
  // The channel's noise floor: its quietest fifth.
  const sorted = Float32Array.from(level).sort()
  const floor = sorted[Math.floor(sorted.length * 0.2)] ?? 0
  const threshold = Math.max(MIN_LEVEL, Math.min(MAX_THRESHOLD, floor * OVER_FLOOR))
  const on = new Uint8Array(frames)
  const hang = Math.round(HANGOVER_MS / frameMs)
  let left = 0
  for (let f = 0; f < frames; f++) {
    if (level[f] > threshold) left = hang + 1
    if (left > 0) {
      on[f] = 1
      left--
    }
  }
  return on
}

export function analysePeaks(peaks: Uint8Array | Buffer, peaksPerSec: number): CallAnalysis {
  const frames = Math.floor(peaks.length / FRAME_BYTES)
  const frameMs = 1000 / peaksPerSec
  const op = activity(peaks, frames, 0, frameMs)
  const cu = activity(peaks, frames, 1, frameMs)
  let opN = 0
  let cuN = 0
  let both = 0
  let silence = 0
  let run = 0
  let longestSilence = 0
  let first: number | null = null
  for (let f = 0; f < frames; f++) {
    opN += op[f]
    cuN += cu[f]
    if (op[f] && cu[f]) both++
    if (!op[f] && !cu[f]) {
      silence++
      run++
      longestSilence = Math.max(longestSilence, run)
    } else run = 0
    if (first === null && cu[f]) first = f
  }
  // Longest stretch of the operator talking while the customer says nothing, through short pauses.
  const gap = Math.round(MONOLOGUE_GAP_MS / frameMs)
  let longestMono = 0
  let start = -1
  let lastOp = -1
  for (let f = 0; f <= frames; f++) {
    const customer = f === frames || cu[f] === 1
    if (!customer && op[f]) {
      if (start < 0 || f - lastOp > gap) start = f
      lastOp = f
      longestMono = Math.max(longestMono, lastOp - start + 1)
    }
    if (customer) start = -1
  }
  const share = (n: number) => (frames ? +(n / frames).toFixed(4) : 0)
  return {
    durationMs: Math.round(frames * frameMs),
    operatorTalkShare: share(opN),
    customerTalkShare: share(cuN),
    silenceShare: share(silence),
    longestSilenceMs: Math.round(longestSilence * frameMs),
    talkOverShare: share(both),
    talkOverMs: Math.round(both * frameMs),
    longestMonologueMs: Math.round(longestMono * frameMs),
    firstCustomerWordMs: first === null ? null : Math.round(first * frameMs)
  }
}
