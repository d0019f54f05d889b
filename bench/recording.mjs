// The cost of recording a call: the browser's CPU during a call on the simulated line (playback of
// the customer, stereo MediaRecorder, AudioWorklet peaks, chunks sent every second) against the
// same page idle for as long, measured in the same run, as a share of one core; and the bytes per
// minute of the stored file. Env: BENCH_SECONDS (default 600, a 10-minute call).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { createCore, startHub, DEMO_PASSWORD } = require('../out/main/server.js')
const { chromium } = require('playwright-core')

const SECONDS = Number(process.env.BENCH_SECONDS ?? 600)
const quiet = { info() {}, warn() {}, error() {} }
const TICK = 100 // clock ticks per second (USER_HZ) on Linux

/** CPU seconds used so far by every process of this Chromium (found by its profile folder). */
function chromiumCpuSeconds(profile) {
  let ticks = 0
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profile)) continue
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(f[11]) + Number(f[12]) // utime + stime
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / TICK
}

async function measure(profile, seconds) {
  const c0 = chromiumCpuSeconds(profile)
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, seconds * 1000))
  return (chromiumCpuSeconds(profile) - c0) / ((performance.now() - t0) / 1000)
}

const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-rec-'))
const profile = mkdtempSync(join(tmpdir(), 'leadline-bench-chromium-'))
const core = await createCore({ dataDir: dir, logger: quiet, recallEveryMs: null })
const hub = await startHub({ core, port: 0, staticDir: join(import.meta.dirname, '../out/renderer'), logger: quiet })
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required']
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

  await page.getByRole('button', { name: /呼\s*叫/ }).click()
  await page.getByTestId('call-state').getByText('录音中').waitFor({ timeout: 15_000 })
  const callShare = await measure(profile, SECONDS)
  await page.getByRole('button', { name: /挂\s*断/ }).click()
  await page.getByTestId('last-recording').waitFor({ timeout: 30_000 })
  console.log(`call with recording: ${(callShare * 100).toFixed(2)}% of a core over ${SECONDS} s`)

  const rec = core.db.prepare("SELECT duration_ms, bytes, chunks, length(peaks) AS peaks FROM recordings WHERE state = 'done' ORDER BY id DESC LIMIT 1").get()
  const minutes = rec.duration_ms / 60000
  const figures = {
    seconds: SECONDS,
    idleCpuShare: +idleShare.toFixed(4),
    callCpuShare: +callShare.toFixed(4),
    recordingCpuShare: +Math.max(0, callShare - idleShare).toFixed(4),
    bytesPerMinute: Math.round(rec.bytes / minutes),
    peaksBytesPerMinute: Math.round(rec.peaks / minutes),
    chunks: rec.chunks,
    durationMs: rec.duration_ms
  }
  console.log(`stored: ${rec.bytes} bytes for ${(rec.duration_ms / 1000).toFixed(1)} s (${figures.bytesPerMinute} bytes/min), ${rec.chunks} chunks, peaks ${rec.peaks} bytes`)
  console.log(JSON.stringify(figures))
} finally {
  await browser.close()
  await hub.close()
  core.close()
  rmSync(dir, { recursive: true, force: true })
  rmSync(profile, { recursive: true, force: true })
}
