/* global window, AudioContext, Audio -- the baseline runs in the page */
// The cost of recording a call, as a share of one core, measured in one run of the same page:
//  1. the desk idle;
//  2. the baseline: the call's audio without the recorder — the microphone through the outgoing
//     mix and the simulated customer's lines played to the speaker, as on a call;
//  3. a recorded call on the simulated line (the same audio, plus the stereo channel merger,
//     MediaRecorder, the AudioWorklet peaks and a chunk sent to core every second).
// recordingCpuShare = (3) − (2): what recording and live peaks add to a call. Also the bytes per
// minute of the stored file. Env: BENCH_SECONDS per phase (default 600, a 10-minute call).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { AUTOPLAY_ARG, CHROMIUM_PATH, FAKE_MEDIA_ARGS, HEADLESS_ARGS } from '../tests/helpers/chromium.mjs'

const require = createRequire(import.meta.url)
const { createCore, startHub, DEMO_PASSWORD } = require('../out/main/server.js')
const { chromium } = require('playwright-core')

const SECONDS = Number(process.env.BENCH_SECONDS ?? 600)
const quiet = { info() {}, warn() {}, error() {} }
const TICK = 100 // clock ticks per second (USER_HZ) on Linux

/** CPU seconds used so far by each kind of process of this Chromium (found by its profile folder). */
function chromiumCpuSeconds(profile) {
  const by = {}
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!cmd.includes(profile)) continue
      const kind =
        (/--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser') +
        (/--utility-sub-type=([\w.]+)/.exec(cmd)?.[1]
          ? `:${/--utility-sub-type=([\w.]+)/.exec(cmd)[1].split('.').pop()}`
          : '')
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      by[kind] = (by[kind] ?? 0) + (Number(f[11]) + Number(f[12])) / TICK // utime + stime
    } catch {
      // the process ended meanwhile
    }
  }
  return by
}

/** CPU seconds used so far by each thread of this Chromium's renderers, by thread name. */
function rendererThreadSeconds(profile) {
  const by = {}
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!cmd.includes(profile) || !cmd.includes('--type=renderer')) continue
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        by[name] = (by[name] ?? 0) + (Number(f[11]) + Number(f[12])) / TICK
      }
    } catch {
      // the process or thread ended meanwhile
    }
  }
  return by
}

/** Where the time goes: by process, and the renderer by thread (the audio graph, the encoder, the page). */
async function measure(profile, seconds) {
  const c0 = chromiumCpuSeconds(profile)
  const th0 = rendererThreadSeconds(profile)
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, seconds * 1000))
  const c1 = chromiumCpuSeconds(profile)
  const th1 = rendererThreadSeconds(profile)
  const secs = (performance.now() - t0) / 1000
  const parts = Object.keys(c1)
    .map((k) => [k, (c1[k] - (c0[k] ?? 0)) / secs])
    .filter(([, v]) => v > 0.001)
  const threads = Object.keys(th1)
    .map((k) => [k, (th1[k] - (th0[k] ?? 0)) / secs])
    .filter(([, v]) => v > 0.001)
    .sort((a, b) => b[1] - a[1])
  console.log('   by process: ' + parts.map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(', '))
  console.log('   renderer by thread: ' + threads.map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(', '))
  return parts.reduce((a, [, v]) => a + v, 0)
}

const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-rec-'))
const profile = mkdtempSync(join(tmpdir(), 'leadline-bench-chromium-'))
const core = await createCore({ dataDir: dir, logger: quiet, recallEveryMs: null })
const hub = await startHub({ core, port: 0, staticDir: join(import.meta.dirname, '../out/renderer'), logger: quiet })
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...HEADLESS_ARGS, ...FAKE_MEDIA_ARGS, AUTOPLAY_ARG]
})
try {
  const page = browser.pages()[0] ?? (await browser.newPage())
  await page.goto(hub.url)
  await page.getByLabel('用户名').fill('op1')
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await page.getByRole('menuitem', { name: '拨号工作台' }).click()
  await page.getByLabel('电话号码').fill('13877110001')
  await page.waitForTimeout(2000)

  const idleShare = await measure(profile, SECONDS)
  console.log(`idle desk: ${(idleShare * 100).toFixed(2)}% of a core over ${SECONDS} s`)

  await page.evaluate(async () => {
    const mic = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }
    })
    const ctx = new AudioContext()
    await ctx.resume()
    const out = ctx.createMediaStreamDestination()
    ctx.createMediaStreamSource(mic).connect(ctx.createGain()).connect(out)
    const remote = ctx.createMediaStreamDestination()
    const el = new Audio()
    el.srcObject = remote.stream
    await el.play()
    let at = ctx.currentTime + 0.3
    for (const url of ['sim/hello.wav', 'sim/go-on.wav', 'sim/visit.wav']) {
      const buf = await ctx.decodeAudioData(await (await fetch(url)).arrayBuffer())
      const src = ctx.createBufferSource()
      src.buffer = buf
      src.connect(remote)
      src.start(at)
      at += buf.duration + 1.2
    }
    window.__baseline = { mic, ctx, el }
  })
  const baseShare = await measure(profile, SECONDS)
  await page.evaluate(async () => {
    const b = window.__baseline
    b.mic.getTracks().forEach((t) => t.stop())
    b.el.srcObject = null
    await b.ctx.close()
  })
  console.log(`call audio without recording (baseline): ${(baseShare * 100).toFixed(2)}% of a core over ${SECONDS} s`)

  await page.getByRole('button', { name: /呼\s*叫/ }).click()
  await page.getByTestId('call-state').getByText('录音中').waitFor({ timeout: 15_000 })
  const callShare = await measure(profile, SECONDS)
  await page.getByRole('button', { name: /挂\s*断/ }).click()
  await page.getByTestId('last-recording').waitFor({ timeout: 30_000 })
  console.log(`call with recording: ${(callShare * 100).toFixed(2)}% of a core over ${SECONDS} s`)

  const rec = core.db
    .prepare(
      "SELECT duration_ms, bytes, chunks, length(peaks) AS peaks FROM recordings WHERE state = 'done' ORDER BY id DESC LIMIT 1"
    )
    .get()
  const minutes = rec.duration_ms / 60000
  const figures = {
    seconds: SECONDS,
    idleCpuShare: +idleShare.toFixed(4),
    baselineCallCpuShare: +baseShare.toFixed(4),
    callCpuShare: +callShare.toFixed(4),
    recordingCpuShare: +Math.max(0, callShare - baseShare).toFixed(4),
    bytesPerMinute: Math.round(rec.bytes / minutes),
    peaksBytesPerMinute: Math.round(rec.peaks / minutes),
    chunks: rec.chunks,
    durationMs: rec.duration_ms
  }
  console.log(
    `stored: ${rec.bytes} bytes for ${(rec.duration_ms / 1000).toFixed(1)} s (${figures.bytesPerMinute} bytes/min), ${rec.chunks} chunks, peaks ${rec.peaks} bytes`
  )
  console.log(JSON.stringify(figures))
} finally {
  await browser.close()
  await hub.close()
  core.close()
  rmSync(dir, { recursive: true, force: true })
  rmSync(profile, { recursive: true, force: true })
}
