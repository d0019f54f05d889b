// 监听、耳语、强插, measured: an operator on a real SIP call (Kamailio on loopback, the customer a
// sip.js agent sending 440 Hz) is monitored from the wallboard by a supervisor; three Chromium
// browsers, each with its own fake microphone (operator: 500 Hz bursts, supervisor: 1250 Hz).
//   listenDelayMs    from a burst starting in the operator's microphone to it starting in what the
//                    supervisor's page plays (median over the bursts; both stamped on this machine's clock)
//   whisperLeakDb    the supervisor's 1250 Hz in what the customer hears while whispering, relative to
//                    the level while barging in (target ≤ −30 dB)
//   monitorCpuShare  the operator browser's CPU (all its processes) during the call while monitored,
//                    minus the same call unmonitored, measured in this run (share of one core; target < 5 %)
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import {
  AUTOPLAY_ARG,
  CHROMIUM_PATH,
  FAKE_MEDIA_ARGS,
  HEADLESS_ARGS,
  LOCAL_TEST_PAGES_ARG
} from '../tests/helpers/chromium.mjs'
import { writeToneWav } from '../tests/telephony/tones.mjs'

const require = createRequire(import.meta.url)
const { createCore, startHub, DEMO_PASSWORD } = require('../out/main/server.js')
const { chromium } = require('@playwright/test')

const WS_PORT = Number(process.env.BENCH_SIP_PORT ?? 8192)
const UDP_PORT = WS_PORT - 3100 // 5092: beside the tests' Kamailios
// not 880 Hz: that is the octave of the customer's 440 Hz, whose harmonic comes back to the customer
// in the operator's side at −48…−55 dB whatever the supervisor does (measured in listen mode)
const SUP_HZ = Number(process.env.BENCH_SUPERVISOR_HZ ?? 1250)
const CPU_SECONDS = Number(process.env.BENCH_CPU_SECONDS ?? 6)
const CPU_TURNS = Number(process.env.BENCH_CPU_TURNS ?? 3)
const quiet = { info() {}, warn() {}, error() {} }
const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-monitor-'))
const must = async (p) => {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// ——— the SIP server (the test bed's configuration) ———
const kamailio = spawn(
  'kamailio',
  [
    '-DD',
    '-E',
    '-f',
    resolve('tests/telephony/kamailio.cfg'),
    '-Y',
    dir,
    '-P',
    join(dir, 'k.pid'),
    '-A',
    `WS_PORT=${WS_PORT}`,
    '-A',
    `UDP_PORT=${UDP_PORT}`
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] }
)
let kLog = ''
kamailio.stderr.on('data', (d) => (kLog = (kLog + d).slice(-4000)))
for (let i = 0; ; i++) {
  const up = await new Promise((r) => {
    const s = connect(WS_PORT, '127.0.0.1', () => (s.end(), r(true)))
    s.on('error', () => r(false))
  })
  if (up) break
  if (kamailio.exitCode !== null || i > 100) throw new Error(`kamailio did not start: ${kLog}`)
  await sleep(100)
}

const core = await createCore({ dataDir: join(dir, 'data'), logger: quiet, recallEveryMs: null })
const hub = await startHub({ core, port: 0, staticDir: resolve('out/renderer'), logger: quiet })
const admin = core.connect({ source: 'bench' })
await must(admin.invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD }))
const op1 = (await must(admin.invoke('users.list', { role: 'operator' }))).find((u) => u.username === 'op1')
await must(
  admin.invoke('sip.setAccount', {
    userId: op1.id,
    wsUrl: `ws://127.0.0.1:${WS_PORT}`,
    domain: '127.0.0.1',
    sipUser: '2401',
    displayName: '王芳',
    iceServers: [],
    outsidePrefix: '',
    password: 'secret-2401'
  })
)

const ARGS = [...HEADLESS_ARGS, ...FAKE_MEDIA_ARGS, AUTOPLAY_ARG, LOCAL_TEST_PAGES_ARG]
const browsers = []
async function seat(micHz, burst) {
  const args = [...ARGS]
  if (micHz) args.push(`--use-file-for-fake-audio-capture=${writeToneWav(join(dir, `${micHz}.wav`), micHz, burst)}`)
  const b = await chromium.launch({ executablePath: CHROMIUM_PATH, args })
  browsers.push(b)
  const page = await (await b.newContext({ locale: 'zh-CN' })).newPage()
  await page.addInitScript({ path: resolve('tests/e2e/ear-probe.js') })
  return { browser: b, page }
}
async function login(page, user) {
  await page.goto(hub.url + '/')
  await page.getByLabel('用户名').fill(user)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: /登\s*录/ }).click()
}
const ear = (page, fn, ...a) => page.evaluate(([f, a]) => globalThis.__ear[f](...a), [fn, a])

/** CPU seconds of all of a browser's processes (the DevTools protocol's process list). */
async function cpuSeconds(browser) {
  const cdp = await browser.newBrowserCDPSession()
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo')
  await cdp.detach()
  return processInfo.reduce((s, p) => s + p.cpuTime, 0)
}
async function cpuShare(browser) {
  const c0 = await cpuSeconds(browser)
  const t0 = performance.now()
  await sleep(CPU_SECONDS * 1000)
  return ((await cpuSeconds(browser)) - c0) / ((performance.now() - t0) / 1000)
}

try {
  // the customer answers with a steady 440 Hz
  const customer = await seat(null)
  const base = `${hub.url.replace('localhost', '127.0.0.1')}/__customer__/`
  await customer.page.route(`${base}**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice('/__customer__/'.length)
    const file = path.startsWith('sipjs/')
      ? resolve('node_modules/sip.js/lib', path.slice('sipjs/'.length))
      : resolve('tests/telephony/customer', path || 'index.html')
    await route.fulfill({
      body: readFileSync(file),
      contentType: extname(file) === '.js' ? 'text/javascript' : 'text/html'
    })
  })
  await customer.page.goto(`${base}index.html?user=2402&ws=ws://127.0.0.1:${WS_PORT}&tone=440`)
  await customer.page.waitForFunction(() => globalThis.customer?.registered, null, { timeout: 15_000 })

  // the operator calls them; their microphone sends 500 Hz bursts (200 ms every second)
  const desk = await seat(500, { onMs: 200, offMs: 800, seconds: 30 })
  await login(desk.page, 'op1')
  await desk.page.getByTestId('line-state').filter({ hasText: '已注册' }).waitFor({ timeout: 15_000 })
  await desk.page.getByLabel('电话号码').fill('2402')
  await desk.page.getByRole('button', { name: /呼\s*叫/ }).click()
  await desk.page.getByTestId('recording-tag').waitFor({ timeout: 15_000 })
  await sleep(2000)
  const unmonitored1 = await cpuShare(desk.browser)

  const sup = await seat(SUP_HZ, { onMs: 400, offMs: 200, seconds: 30 })
  await login(sup.page, 'supervisor')
  await sup.page.goto(hub.url + '/#/wallboard')
  const row = sup.page.getByTestId('agent-board').getByRole('row').filter({ hasText: '王芳' })
  const startMonitor = async () => {
    await row.getByRole('button', { name: /监听/ }).click({ timeout: 15_000 })
    await sup.page.getByTestId('monitor-phase').filter({ hasText: '已接通' }).waitFor({ timeout: 15_000 })
    await sleep(1500)
  }
  await startMonitor()
  await sleep(2000)

  // the delay: bursts in the operator's microphone, and in what the supervisor's page plays
  await ear(desk.page, 'watch', 500, 'mic')
  await ear(sup.page, 'watch', 500, 'out', 0)
  await sleep(8000)
  const said = await desk.page.evaluate(() => (globalThis.__ear.stop(), globalThis.__ear.onsets))
  const heard = await sup.page.evaluate(() => (globalThis.__ear.stop(), globalThis.__ear.onsets))
  const delays = heard
    .map((h) => h - Math.max(...said.filter((s) => s <= h && h - s < 900)))
    .filter((d) => Number.isFinite(d))

  // listening, whisper, then barge: what the customer hears at the supervisor's pitch
  const listen = await ear(customer.page, 'level', SUP_HZ, 2000)
  await sup.page.keyboard.press('2')
  await sleep(1500)
  const whisper = await ear(customer.page, 'level', SUP_HZ, 2000)
  await sup.page.keyboard.press('3')
  await sleep(1500)
  const barge = await ear(customer.page, 'level', SUP_HZ, 2000)

  // CPU: the same call, monitored (listening, as most of the time) and not, in turns; each turn's
  // monitored figure against the mean of the unmonitored ones on either side of it
  await sup.page.keyboard.press('1')
  await sleep(1500)
  const on = []
  const off = [unmonitored1]
  for (let i = 0; i < CPU_TURNS; i++) {
    if (i > 0) await startMonitor()
    on.push(await cpuShare(desk.browser))
    await sup.page.keyboard.press('Escape')
    await sup.page.getByTestId('monitor-ended').waitFor({ timeout: 10_000 })
    await sup.page.getByRole('button', { name: /关\s*闭/ }).click()
    await sleep(1500)
    off.push(await cpuShare(desk.browser))
  }
  const extra = on.map((m, i) => m - (off[i] + off[i + 1]) / 2)
  const monitored = median(on)
  const unmonitored = median(off)

  console.log(
    `listen delay: ${delays.length} bursts, median ${Math.round(median(delays))} ms (${delays.map(Math.round).join(', ')})`
  )
  console.log(
    `customer hears the supervisor: listen ${listen.any.toFixed(1)} dB, whisper ${whisper.any.toFixed(1)} dB, barge ${barge.any.toFixed(1)} dB`
  )
  console.log(
    `operator browser CPU (% of a core): unmonitored ${off.map((x) => (x * 100).toFixed(1)).join(', ')}; monitored ${on.map((x) => (x * 100).toFixed(1)).join(', ')}; extra ${extra.map((x) => (x * 100).toFixed(1)).join(', ')}`
  )
  console.log(
    JSON.stringify({
      listenDelayMs: Math.round(median(delays)),
      whisperLeakDb: +(whisper.any - barge.any).toFixed(1),
      monitorCpuShare: +median(extra).toFixed(4),
      unmonitoredCpuShare: +unmonitored.toFixed(4),
      monitoredCpuShare: +monitored.toFixed(4),
      bargeLevelDb: +barge.any.toFixed(1),
      customerFloorDb: +listen.any.toFixed(1)
    })
  )
} finally {
  await Promise.all(browsers.map((b) => b.close().catch(() => {})))
  await hub.close()
  core.close()
  kamailio.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
