// Next-lead claim latency with a 1,000,000-lead pool and 200 operators: in core (each operator
// in turn takes the next lead, dials it and saves an outcome) and through the hub's WebSocket
// (200 connected operators claiming at an open-loop rate far above a real centre's), with the
// number of leads ever held by two operators at once. Baseline in the same run: the plainest
// contract call (auth.me) on the same path, so the ratio holds on a noisy machine.
// Env: BENCH_LEADS (1,000,000), BENCH_OPERATORS (200), BENCH_CLAIMS (20,000 per phase), BENCH_RATE (claims/s through the hub, 400).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { hubClient } from './_hub-client.mjs'

const require = createRequire(import.meta.url)
const { createCore, startHub, ManualClock } = require('../out/main/server.js')

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000)
const OPS = Number(process.env.BENCH_OPERATORS ?? 200)
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 20_000)
const RATE = Number(process.env.BENCH_RATE ?? 400)
const quiet = { info() {}, warn() {}, error() {} }
const pct = (arr, p) => {
  const s = [...arr].sort((a, b) => a - b)
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(3)
}
const now = () => performance.now()

const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-queue-'))
// Monday 10:00 in Nanning, inside the calling windows; the clock moves a little with each claim.
const clock = new ManualClock('2026-11-23T02:00:00Z')
const core = await createCore({ dataDir: dir, logger: quiet, clock, demo: true, demoLeads: false, recallEveryMs: null })
const db = core.db

let t = now()
const batch = db
  .prepare(
    "INSERT INTO import_batches (campaign_id, file_name, source, kind, policy, mapping, created_at) VALUES (1, 'bench', 'bench', 'csv', 'skip', '[]', ?)"
  )
  .run(clock.now().toISOString()).lastInsertRowid
const ins = db.prepare(
  "INSERT INTO leads (campaign_id, phone, phone_kind, name, district_code, batch_id, created_at, updated_at) VALUES (1, ?, 'mobile', ?, '450103', ?, ?, ?)"
)
const at = clock.now().toISOString()
db.transaction(() => {
  for (let i = 0; i < LEADS; i++) ins.run(`13${String(100_000_000 + i)}`, `客户${i}`, batch, at, at)
})()
console.log(`pool: ${LEADS.toLocaleString()} leads in ${((now() - t) / 1000).toFixed(1)} s`)

// 200 operators (one password hash for all), each with a batch of 30 for today.
const hash = db.prepare("SELECT password_hash FROM users WHERE username = 'op1'").pluck().get()
const insUser = db.prepare(
  "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, 'operator', ?, ?, ?)"
)
const opIds = []
db.transaction(() => {
  for (let i = 0; i < OPS; i++) opIds.push(Number(insUser.run(`bench${i}`, `坐席${i}`, hash, at, at).lastInsertRowid))
})()
const sup = core.connect({ source: 'bench' })
await sup.invoke('auth.login', { username: 'supervisor', password: 'demo1234' })
t = now()
const alloc = await sup.invoke('allocation.commit', { day: '2026-11-23', perOperator: 30, operatorIds: opIds })
if (!alloc.ok) throw new Error(alloc.error.message)
console.log(`allocation: ${alloc.value.total} leads to ${OPS} operators in ${((now() - t) / 1000).toFixed(1)} s`)

const outcomes = ['no_answer', 'busy', 'refused', 'vacant', 'accepted']
let seq = 0
function outcomeInput(leadId, callId) {
  const d = outcomes[seq % outcomes.length]
  return {
    clientId: `bench-${++seq}-${leadId}`,
    leadId,
    callId,
    disposition: d,
    ...(d === 'accepted' ? { consent: true, visitAt: '2026-11-25T07:00:00.000Z' } : {})
  }
}

// ---- core: operators in turn --------------------------------------------------------------
const conns = []
for (const id of opIds) {
  const c = core.connect({ source: 'bench' })
  const r = await c.invoke('auth.login', { username: `bench${opIds.indexOf(id)}`, password: 'demo1234' })
  if (!r.ok) throw new Error(r.error.message)
  conns.push(c)
}
const coreNext = []
const coreBase = []
let sources = { callback: 0, batch: 0, pool: 0 }
for (let i = 0; i < CLAIMS; i++) {
  const c = conns[i % OPS]
  let s = now()
  await c.invoke('auth.me', {})
  coreBase.push(now() - s)
  s = now()
  const r = await c.invoke('desk.next', {})
  coreNext.push(now() - s)
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  if (!r.value.lead) throw new Error(`queue empty: ${r.value.reason}`)
  sources[r.value.source]++
  const d = await c.invoke('desk.dial', { leadId: r.value.lead.id, line: 'sip' })
  if (!d.ok) throw new Error(JSON.stringify(d.error))
  const input = outcomeInput(r.value.lead.id, d.value.callId)
  const o = await c.invoke('desk.outcome', input, { clientId: input.clientId })
  if (!o.ok) throw new Error(JSON.stringify(o.error))
  clock.advance(5) // 5 ms of "time" per claim: a working day passes slowly
}
console.log(
  `core: ${CLAIMS} claims by ${OPS} operators (batch ${sources.batch}, pool ${sources.pool}); next p50 ${pct(coreNext, 50)} ms p99 ${pct(coreNext, 99)} ms; auth.me p50 ${pct(coreBase, 50)} ms`
)

// the in-process desks close: the same operators sit down at their hub desks (one desk per operator)
for (const c of conns) c.close()

// ---- hub: 200 connected operators, open-loop arrivals -------------------------------------
const hub = await startHub({ core, port: 0, staticDir: null, logger: quiet })
/** Event frames the connected operators received during the hub phase, by event. */
let pushed = {}
const client = () => hubClient(hub.url, { onEvent: (e) => (pushed[e] = (pushed[e] ?? 0) + 1) })
const clients = []
for (let i = 0; i < OPS; i++) {
  const c = await client()
  const r = await c.call('auth.login', { username: `bench${i}`, password: 'demo1234' })
  if (!r.ok) throw new Error(r.error.message)
  clients.push(c)
}
const hubNext = []
const hubBase = []
const held = new Map()
let doubleClaims = 0
const busy = new Array(OPS).fill(false)
let started = 0
let done = 0
let rr = 0
sources = { callback: 0, batch: 0, pool: 0 }
async function work(k) {
  busy[k] = true
  const c = clients[k]
  let s = now()
  await c.call('auth.me', {})
  hubBase.push(now() - s)
  s = now()
  const r = await c.call('desk.next', {})
  hubNext.push(now() - s)
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  const lead = r.value.lead
  if (lead) {
    sources[r.value.source]++
    if (held.has(lead.id)) doubleClaims++
    held.set(lead.id, k)
    const d = await c.call('desk.dial', { leadId: lead.id, line: 'sip' })
    if (!d.ok) throw new Error(JSON.stringify(d.error))
    held.delete(lead.id)
    const o = await c.call('desk.outcome', outcomeInput(lead.id, d.value.callId))
    if (!o.ok) throw new Error(JSON.stringify(o.error))
  }
  clock.advance(5)
  busy[k] = false
  done++
}
t = now()
pushed = {}
const cpu0 = process.cpuUsage()
await new Promise((resolve, reject) => {
  // Poisson arrivals at RATE claims/s, each by an operator who is free.
  const tick = () => {
    const due = Math.floor(((now() - t) / 1000) * RATE)
    while (started < Math.min(due, CLAIMS)) {
      let free = -1
      for (let j = 0; j < OPS && free < 0; j++) if (!busy[(rr + j) % OPS]) free = (rr + j) % OPS
      if (free < 0) break
      rr = (free + 1) % OPS
      started++
      work(free).catch(reject)
    }
    if (done >= CLAIMS) resolve()
    else setTimeout(tick, 1)
  }
  tick()
})
const hubSeconds = (now() - t) / 1000
const cpu = process.cpuUsage(cpu0)
// the process's CPU (the hub and, in this same process, its 200 clients) per claim cycle (next, dial, outcome)
const cpuMsPerClaim = +((cpu.user + cpu.system) / 1000 / CLAIMS).toFixed(3)
const pushedPerClaim = +(Object.values(pushed).reduce((a, b) => a + b, 0) / CLAIMS).toFixed(2)
console.log(
  `hub phase: ${cpuMsPerClaim} ms of CPU per claim; ${pushedPerClaim} event frames per claim to the ${OPS} seats ${JSON.stringify(pushed)}`
)
console.log(
  `hub: ${CLAIMS} claims by ${OPS} connected operators in ${hubSeconds.toFixed(1)} s (${Math.round(CLAIMS / hubSeconds)}/s; batch ${sources.batch}, pool ${sources.pool}); next p50 ${pct(hubNext, 50)} ms p99 ${pct(hubNext, 99)} ms; auth.me p50 ${pct(hubBase, 50)} ms`
)

const stillLeased = db.prepare('SELECT count(*) FROM leads WHERE lease_by IS NOT NULL').pluck().get()
const twiceDialed = db
  .prepare('SELECT count(*) FROM (SELECT lead_id FROM calls GROUP BY lead_id HAVING count(*) > 1)')
  .pluck()
  .get()
const figures = {
  leads: LEADS,
  operators: OPS,
  claimsPerPhase: CLAIMS,
  coreP50Ms: pct(coreNext, 50),
  coreP99Ms: pct(coreNext, 99),
  coreBaselineP50Ms: pct(coreBase, 50),
  hubP50Ms: pct(hubNext, 50),
  hubP99Ms: pct(hubNext, 99),
  hubBaselineP50Ms: pct(hubBase, 50),
  hubClaimsPerSec: Math.round(CLAIMS / hubSeconds),
  hubCpuMsPerClaim: cpuMsPerClaim,
  pushedPerClaim,
  doubleClaims: doubleClaims + twiceDialed,
  leasedAtEnd: stillLeased
}
clients.forEach((c) => c.close())
await hub.close()
core.close()
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify(figures))
