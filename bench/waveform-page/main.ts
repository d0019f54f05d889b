// The two ways to open a recording in wavesurfer.js, in the page the benchmark drives: from the
// stored peaks and duration (what the QA player does: renderer/src/features/qa), or by fetching
// and decoding the whole file (wavesurfer's default). Both stream the audio through the media
// element; each resolves when both lanes are drawn.
import WaveSurfer from 'wavesurfer.js'
import { lanesFromPeaks } from '../../renderer/src/features/qa/peaks'

const lanes = [{ waveColor: '#1677ff' }, { waveColor: '#52c41a' }]

function drawn(ws: WaveSurfer): Promise<void> {
  return new Promise((resolve) => ws.once('redrawcomplete', () => resolve()))
}

declare global {
  interface Window {
    openWithPeaks: (audio: string, peaksUrl: string, durationSec: number) => Promise<number>
    openByDecoding: (audio: string) => Promise<number>
  }
}

window.openWithPeaks = async (audio, peaksUrl, durationSec) => {
  const t0 = performance.now()
  const base64 = await (await fetch(peaksUrl)).text()
  const ws = WaveSurfer.create({
    container: '#wave',
    height: 64,
    url: audio,
    peaks: lanesFromPeaks(base64),
    duration: durationSec,
    splitChannels: lanes
  })
  await drawn(ws)
  return performance.now() - t0
}

window.openByDecoding = async (audio) => {
  const t0 = performance.now()
  const ws = WaveSurfer.create({ container: '#wave', height: 64, url: audio, splitChannels: lanes })
  await drawn(ws)
  return performance.now() - t0
}
