/**
 * The stored waveform (per frame: int8 min and max of the left channel — the operator — then of
 * the right — the customer) as wavesurfer's pre-decoded channel data: one array per lane with
 * min, max, min, max … scaled to -1..1. An hour of call is 180,000 frames: two arrays of
 * 360,000 floats, where decoding the audio would be hundreds of megabytes.
 */
export function lanesFromPeaks(base64: string): [Float32Array, Float32Array] {
  const bin = atob(base64)
  const frames = Math.floor(bin.length / 4)
  const left = new Float32Array(frames * 2)
  const right = new Float32Array(frames * 2)
  const s8 = (i: number) => ((bin.charCodeAt(i) << 24) >> 24) / 127
  for (let f = 0; f < frames; f++) {
    const o = f * 4
    left[f * 2] = s8(o)
    left[f * 2 + 1] = s8(o + 1)
    right[f * 2] = s8(o + 2)
    right[f * 2 + 1] = s8(o + 3)
  }
  return [left, right]
}
