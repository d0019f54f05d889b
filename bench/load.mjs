// How fast each role's first page is usable, and how much it downloads: a field agent on a phone over
// the DevTools "Fast 3G" profile, an operator and a supervisor on the LAN, in Debian's Chromium
// against a real hub serving the production build (minified, split per page, precompressed). Cold is
// a first visit (empty cache); warm is the next visit of the same browser. Bytes are what crossed the
// wire (compressed, headers included), from the DevTools protocol. Targets: field agent ≤ 300 KB and
// ≤ 3 s on Fast 3G; the operator's desk usable ≤ 1 s after login (from the click on 登录, the password
// check on the hub included); a warm visit ≤ 20 KB. BENCH_RUNS (5) visits per role, the median;
// BENCH_ROLES=operator,… measures only those; BENCH_VERBOSE=1 prints every visit.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { CHROMIUM_PATH, FAKE_MEDIA_ARGS, HEADLESS_ARGS } from '../tests/helpers/chromium.mjs'

const require = createRequire(import.meta.url)
const { createCore, startHub, DEMO_PASSWORD } = require('../out/main/server.js')
const { chromium } = require('@playwright/test')

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const quiet = { info() {}, warn() {}, error() {} }
/** DevTools' "Fast 3G": 1.6 Mbit/s down, 750 kbit/s up (×0.9), 150 ms × 3.75 latency. */
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8
}

const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-load-'))
// the hub's clock runs from a Monday at 10:00 in Nanning (inside the calling windows) whatever the hour of the run
const offsetMs = new Date('2026-03-02T10:00:00+08:00').getTime() - Date.now()
const clock = { now: () => new Date(Date.now() + offsetMs) }
const core = await createCore({ dataDir: dir, logger: quiet, recallEveryMs: null, clock })
// a visit for the field agent: a success of 王芳's in 青秀区, assigned to 蒙志刚
{
  const as = async (u) => {
    const c = core.connect({ source: 'bench' })
    const r = await c.invoke('auth.login', { username: u, password: DEMO_PASSWORD })
    if (!r.ok) throw new Error(r.error.message)
    return c
  }
  const must = async (p) => {
    const r = await p
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  }
  const sup = await as('supervisor')
  const c = await must(sup.invoke('campaigns.update', { id: 1 }))
  await must(sup.invoke('campaigns.update', { id: 1, settings: { qa: { ...c.settings.qa, gate: false } } }))
  const op = await as('op1')
  const { lead } = await must(op.invoke('desk.next', {}))
  const { callId } = await must(op.invoke('desk.dial', { leadId: lead.id, line: 'simulated' }))
  const visitAt = new Date(clock.now().getTime() + 2 * 86_400_000)
  visitAt.setUTCHours(3, 0, 0, 0)
  await must(
    op.invoke('desk.outcome', {
      clientId: 'bench-load-visit',
      leadId: lead.id,
      callId,
      disposition: 'accepted',
      consent: true,
      visitAt: visitAt.toISOString(),
      districtCode: '450103'
    })
  )
  const leader = await as('leader_qx')
  const [d] = await must(leader.invoke('dispatch.list', {}))
  const agents = await must(leader.invoke('dispatch.agents', { dispatchId: d.id }))
  await must(
    leader.invoke('dispatch.assign', { dispatchId: d.id, agentId: agents.find((a) => a.name === '蒙志刚').id })
  )
}
const hub = await startHub({ core, port: 0, staticDir: resolve('out/renderer'), logger: quiet })
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: [...HEADLESS_ARGS, ...FAKE_MEDIA_ARGS]
})

const ROLES = {
  fieldAgent: {
    user: 'agent_qx1',
    phone: true,
    usable: (page) => page.getByTestId('visit').first().waitFor({ state: 'visible', timeout: 60_000 })
  },
  operator: {
    user: 'op1',
    phone: false,
    usable: (page) =>
      page
        .getByRole('button', { name: /下一条/ })
        .and(page.locator(':not([disabled])'))
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 })
  },
  supervisor: {
    user: 'supervisor',
    phone: false,
    path: '/#/wallboard',
    usable: (page) => page.getByTestId('agent-board').locator('tbody tr').first().waitFor({ timeout: 60_000 })
  }
}

/** One visit: navigation to the role's first page usable (and from the login click), bytes over the wire. */
async function visit(context, role, { login }) {
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false })
  if (role.phone) await cdp.send('Network.emulateNetworkConditions', FAST_3G)
  let bytes = 0
  cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength))
  const t0 = performance.now()
  await page.goto(hub.url + (role.path ?? '/'))
  let tLogin = t0
  if (login) {
    await page.getByLabel('用户名').fill(role.user)
    await page.getByLabel('密码').fill(DEMO_PASSWORD)
    tLogin = performance.now()
    await page.getByRole('button', { name: /登\s*录/ }).click()
  }
  await role.usable(page)
  const t1 = performance.now()
  await page.waitForTimeout(300) // anything still arriving for the page counts too
  await page.close()
  return { ms: Math.round(t1 - t0), afterLoginMs: Math.round(t1 - tLogin), kb: +(bytes / 1024).toFixed(1) }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const results = {}
try {
  for (const [name, role] of Object.entries(ROLES)) {
    if (process.env.BENCH_ROLES && !process.env.BENCH_ROLES.split(',').includes(name)) continue
    const cold = []
    const warm = []
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({
        locale: 'zh-CN',
        ...(role.phone
          ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
          : { viewport: { width: 1366, height: 768 } })
      })
      cold.push(await visit(context, role, { login: true }))
      // the next visit of the same browser: the seat kept its login (在这台电脑上保持登录, the default), so
      // the page opens on the role's first page without the login
      warm.push(await visit(context, role, { login: false }))
      await context.close()
    }
    results[name] = {
      coldMs: median(cold.map((r) => r.ms)),
      coldAfterLoginMs: median(cold.map((r) => r.afterLoginMs)),
      coldKB: median(cold.map((r) => r.kb)),
      warmMs: median(warm.map((r) => r.ms)),
      warmKB: median(warm.map((r) => r.kb))
    }
    console.log(`${name.padEnd(11)} ${JSON.stringify(results[name])}`)
    if (process.env.BENCH_VERBOSE) console.log(JSON.stringify({ cold, warm }))
  }
} finally {
  await browser.close()
  await hub.close()
  core.close()
  rmSync(dir, { recursive: true, force: true })
}
console.log(
  JSON.stringify({
    fieldAgentKB: results.fieldAgent?.coldKB,
    fieldAgentFast3gMs: results.fieldAgent?.coldMs,
    operatorKB: results.operator?.coldKB,
    operatorMs: results.operator?.coldAfterLoginMs,
    supervisorKB: results.supervisor?.coldKB,
    supervisorMs: results.supervisor?.coldAfterLoginMs,
    warmFieldAgentKB: results.fieldAgent?.warmKB,
    warmFieldAgentFast3gMs: results.fieldAgent?.warmMs,
    targets: { fieldAgentKB: 300, fieldAgentFast3gMs: 3000, operatorMs: 1000, warmFieldAgentKB: 20 }
  })
)
