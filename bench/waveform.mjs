/* global window, document -- these run in the page */
// Opening a 60-minute stereo call recording in the QA player: from the stored peaks and duration
// (the player's way) against wavesurfer.js decoding the whole file (its default way), in the
// same run, on the same file, in the same page (bench/waveform-page, built with the player's own
// peaks code), each in a fresh Chromium so the renderer's memory is its own. Also the real QA
// page opened through the hub (login, #/recordings?rec=…) to the waveform drawn.
// Figures (medians): peaksOpenMs, decodeOpenMs, speedup; peaksMemMB, decodeMemMB — what opening adds to the
// renderer process (PSS after − before, the blank page's own cost apart), with the totals beside; appOpenMs.
// Env: BENCH_MINUTES (default 60), BENCH_RUNS (default 3).
import { execFileSync, spawn } from 'node:child_process'
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { CHROMIUM_PATH, HEADLESS_ARGS } from '../tests/helpers/chromium.mjs'

const require = createRequire(import.meta.url)
const { chromium } = require('playwright-core')
const { build } = await import('vite')
const { createCore, startHub, DEMO_PASSWORD } = require('../out/main/server.js')

const MINUTES = Number(process.env.BENCH_MINUTES ?? 60)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const SECONDS = MINUTES * 60
const here = import.meta.dirname
const cache = join(here, '.data')
mkdirSync(cache, { recursive: true })
const quiet = { info() {}, warn() {}, error() {} }

// 1. The recording: turns of a voice-like tone on the left (operator) and noise on the right
//    (customer), Opus in WebM as MediaRecorder writes it; and its peaks, as the recorder stores them
//    (per 20 ms: int8 min/max left, then right).
const webm = join(cache, `call-${MINUTES}min.webm`)
const peaksFile = join(cache, `call-${MINUTES}min.peaks`)
if (!existsSync(webm) || !existsSync(peaksFile)) {
  console.log(`generating a ${MINUTES}-minute stereo recording…`)
  // (commas inside a filter's expression are escaped)
  const left = 'sin(2*PI*220*t)*0.4*lt(mod(t\\,9)\\,4)'
  const right = '(random(0)-0.5)*0.5*gte(mod(t\\,9)\\,4.5)'
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `aevalsrc=${left}|${right}:s=48000:d=${SECONDS}`,
    '-c:a',
    'libopus',
    '-b:a',
    '32k',
    '-f',
    'webm',
    webm
  ])
  const frames = []
  await new Promise((resolve, reject) => {
    const ff = spawn('ffmpeg', ['-loglevel', 'error', '-i', webm, '-f', 's16le', '-ac', '2', '-ar', '8000', '-'])
    const PER_FRAME = 160 // 20 ms at 8 kHz
    let carry = Buffer.alloc(0)
    ff.stdout.on('data', (d) => {
      let buf = Buffer.concat([carry, d])
      const frameBytes = PER_FRAME * 4
      let o = 0
      for (; o + frameBytes <= buf.length; o += frameBytes) {
        let lmin = 0,
          lmax = 0,
          rmin = 0,
          rmax = 0
        for (let i = 0; i < PER_FRAME; i++) {
          const l = buf.readInt16LE(o + i * 4) / 32768
          const r = buf.readInt16LE(o + i * 4 + 2) / 32768
          if (l < lmin) lmin = l
          if (l > lmax) lmax = l
          if (r < rmin) rmin = r
          if (r > rmax) rmax = r
        }
        const q = (v) => Math.max(-127, Math.min(127, Math.round(v * 127)))
        frames.push(q(lmin), q(lmax), q(rmin), q(rmax))
      }
      carry = buf.subarray(o)
    })
    ff.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`ffmpeg ${c}`))))
  })
  writeFileSync(peaksFile, Buffer.from(Int8Array.from(frames).buffer))
}
const peaks = readFileSync(peaksFile)
const durationSec = peaks.length / 4 / 50
console.log(
  `recording: ${(statSync(webm).size / 1e6).toFixed(1)} MB, ${durationSec} s, peaks ${(peaks.length / 1e3).toFixed(0)} KB`
)

// 2. The harness page, built with vite from the player's own peaks code.
const pageDir = mkdtempSync(join(tmpdir(), 'leadline-bench-wave-'))
await build({
  root: join(here, 'waveform-page'),
  logLevel: 'error',
  build: { outDir: pageDir, emptyOutDir: true },
  base: './'
})
const peaksB64 = peaks.toString('base64')
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x')
  if (url.pathname === '/call.webm') {
    // range requests, as the hub serves recordings
    const size = statSync(webm).size
    const m = /bytes=(\d*)-(\d*)/.exec(req.headers.range ?? '')
    const start = m && m[1] ? Number(m[1]) : 0
    const end = m && m[2] ? Number(m[2]) : size - 1
    res.writeHead(m ? 206 : 200, {
      'Content-Type': 'audio/webm',
      'Accept-Ranges': 'bytes',
      'Content-Length': end - start + 1,
      ...(m ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {})
    })
    createReadStream(webm, { start, end }).pipe(res)
    return
  }
  if (url.pathname === '/call.peaks.b64') return res.end(peaksB64)
  const file = join(pageDir, url.pathname === '/' ? 'index.html' : url.pathname)
  if (!file.startsWith(pageDir) || !existsSync(file)) return res.writeHead(404).end()
  res.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html' })
  res.end(readFileSync(file))
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${server.address().port}`

/**
 * The page's renderer process memory, MB: proportional set size (its own pages, plus its share of
 * those shared with the other Chromium processes), of the renderer processes of this Chromium
 * (found by its profile folder) — the browser and GPU processes are not the page's.
 */
function rendererMB(profile) {
  let kb = 0
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!cmd.includes(profile) || !cmd.includes('--type=renderer') || cmd.includes('--extension-process')) continue
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0)
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024
}

async function inFreshBrowser(fn) {
  const profile = mkdtempSync(join(tmpdir(), 'leadline-bench-chromium-'))
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: HEADLESS_ARGS
  })
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage())
    const ms = await fn(page, async () => {
      // the page loaded and settled, nothing opened yet
      await page.waitForTimeout(500)
      return rendererMB(profile)
    })
    await page.waitForTimeout(500)
    return { ms: ms.ms, memMB: rendererMB(profile), baseMB: ms.baseMB }
  } finally {
    await ctx.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const peaksRuns = []
const decodeRuns = []
for (let i = 0; i < RUNS; i++) {
  peaksRuns.push(
    await inFreshBrowser(async (page, settle) => {
      await page.goto(`${base}/`)
      const baseMB = await settle()
      return {
        baseMB,
        ms: await page.evaluate(
          ([a, p, d]) => window.openWithPeaks(a, p, d),
          [`${base}/call.webm`, `${base}/call.peaks.b64`, durationSec]
        )
      }
    })
  )
  decodeRuns.push(
    await inFreshBrowser(async (page, settle) => {
      await page.goto(`${base}/`)
      const baseMB = await settle()
      return { baseMB, ms: await page.evaluate((a) => window.openByDecoding(a), `${base}/call.webm`) }
    })
  )
  const mb = (r) => `${r.memMB.toFixed(0)} MB (page before opening ${r.baseMB.toFixed(0)} MB)`
  console.log(
    `run ${i + 1}: peaks ${peaksRuns[i].ms.toFixed(0)} ms, ${mb(peaksRuns[i])}; decode ${decodeRuns[i].ms.toFixed(0)} ms, ${mb(decodeRuns[i])}`
  )
}

// 3. The real QA page through the hub: the recording stored as the desk stores it.
const dataDir = mkdtempSync(join(tmpdir(), 'leadline-bench-wavehub-'))
const core = await createCore({ dataDir, logger: quiet, recallEveryMs: null, demoLeads: false })
const rel = join('recordings', '2026', '11', '23', 'bench-call.webm')
mkdirSync(join(dataDir, 'recordings', '2026', '11', '23'), { recursive: true })
execFileSync('cp', [webm, join(dataDir, rel)])
const op = core.db.prepare("SELECT id FROM users WHERE username = 'op1'").pluck().get()
const at = new Date().toISOString()
const callId = Number(
  core.db
    .prepare(
      "INSERT INTO calls (operator_id, direction, line, started_at, answered_at, ended_at, end_cause, campaign_id) VALUES (?, 'outbound', 'sip', ?, ?, ?, 'customer', 1)"
    )
    .run(op, at, at, at).lastInsertRowid
)
const recId = Number(
  core.db
    .prepare(
      "INSERT INTO recordings (call_id, operator_id, file, mime, state, started_at, ended_at, duration_ms, bytes, peaks) VALUES (?, ?, ?, 'audio/webm;codecs=opus', 'done', ?, ?, ?, ?, ?)"
    )
    .run(callId, op, rel, at, at, Math.round(durationSec * 1000), statSync(webm).size, peaks).lastInsertRowid
)
const hub = await startHub({ core, port: 0, staticDir: join(here, '../out/renderer'), logger: quiet })
const appRuns = []
for (let i = 0; i < RUNS; i++) {
  const r = await inFreshBrowser(async (page, settle) => {
    await page.goto(`${hub.url}/`)
    await page.getByLabel('用户名').fill('qa')
    await page.getByLabel('密码').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: /登\s*录/ }).click()
    await page.getByRole('menuitem', { name: '录音库' }).waitFor()
    const baseMB = await settle()
    const t0 = Date.now()
    await page.evaluate((id) => (window.location.hash = `#/recordings?rec=${id}`), recId)
    await page.waitForFunction(() => {
      const host = document.querySelector('[data-testid="waveform"]')?.firstElementChild
      const canvases = host?.shadowRoot?.querySelectorAll('.canvases canvas') ?? []
      return canvases.length >= 2
    })
    return { baseMB, ms: Date.now() - t0 }
  })
  appRuns.push(r)
  console.log(
    `app run ${i + 1}: ${r.ms} ms to the waveform, renderer ${r.memMB.toFixed(0)} MB (before opening ${r.baseMB.toFixed(0)} MB)`
  )
}
await hub.close()
core.close()
server.close()
rmSync(dataDir, { recursive: true, force: true })
rmSync(pageDir, { recursive: true, force: true })

const peaksOpenMs = +median(peaksRuns.map((r) => r.ms)).toFixed(1)
const decodeOpenMs = +median(decodeRuns.map((r) => r.ms)).toFixed(1)
const figures = {
  minutes: MINUTES,
  peaksOpenMs,
  decodeOpenMs,
  speedup: +(decodeOpenMs / peaksOpenMs).toFixed(1),
  // what opening the recording adds to the page's renderer (PSS after − before), and the totals
  peaksMemMB: +median(peaksRuns.map((r) => r.memMB - r.baseMB)).toFixed(1),
  decodeMemMB: +median(decodeRuns.map((r) => r.memMB - r.baseMB)).toFixed(1),
  peaksRendererMB: +median(peaksRuns.map((r) => r.memMB)).toFixed(0),
  decodeRendererMB: +median(decodeRuns.map((r) => r.memMB)).toFixed(0),
  blankPageMB: +median(peaksRuns.map((r) => r.baseMB)).toFixed(0),
  appOpenMs: median(appRuns.map((r) => r.ms)),
  appMemMB: +median(appRuns.map((r) => r.memMB - r.baseMB)).toFixed(1),
  appRendererMB: +median(appRuns.map((r) => r.memMB)).toFixed(0),
  targets: { speedup: '>= 10', peaksMemMB: '< 150', peaksRendererMB: '< 150 (the whole page)' }
}
console.log(
  `peaks ${peaksOpenMs} ms vs decode ${decodeOpenMs} ms: ${figures.speedup}× faster; opening adds ${figures.peaksMemMB} MB vs ${figures.decodeMemMB} MB to the renderer (totals ${figures.peaksRendererMB} vs ${figures.decodeRendererMB} MB); the QA page ${figures.appOpenMs} ms`
)
console.log(JSON.stringify(figures))
