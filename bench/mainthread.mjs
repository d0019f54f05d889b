// On the desktop, core runs on Electron's main thread: a long synchronous core call freezes the window
// (a frame is 16 ms). This replays an operator's hour (40 calls: next lead, dial, a recording written
// chunk by chunk, the outcome, today's figures) and a supervisor's reports (the wallboard after every
// call; operators, funnel and number quality over a day, a week and the month; the recording library;
// the dispatch board) through core in-process, as the desktop's IPC does, on the data of a small
// centre (BENCH_OPS operators, BENCH_LEADS leads, BENCH_CALLS calls over 30 days), and prints the
// longest synchronous stretch of each method (from the call until core first yields) and the
// event loop's worst delay. Target: the longest under 16 ms.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const require = createRequire(import.meta.url)
const { createCore, ManualClock, DEMO_PASSWORD } = require('../out/main/server.js')

const OPS = Number(process.env.BENCH_OPS ?? 50)
const LEADS = Number(process.env.BENCH_LEADS ?? 200_000)
const CALLS = Number(process.env.BENCH_CALLS ?? 300_000)
const HOUR_CALLS = Number(process.env.BENCH_HOUR_CALLS ?? 40)
const DAYS = 30
const quiet = { info() {}, warn() {}, error() {} }
const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-main-'))
// Monday 30 Nov 2026, 10:00 in Nanning: inside the demo campaign's calling hours
const now = Date.parse('2026-11-30T02:00:00Z')
const start = now - DAYS * 86_400_000
const clock = new ManualClock(new Date(now).toISOString())
const core = await createCore({ dataDir: dir, logger: quiet, recallEveryMs: null, clock })
const db = core.db

// ——— a small centre's month, written straight into the tables (the triggers keep the rollups) ———
const t0 = performance.now()
db.exec('PRAGMA synchronous = OFF')
db.transaction(() => {
  const iso = new Date(start).toISOString()
  const insUser = db.prepare(
    "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, 'operator', 'x', ?, ?)"
  )
  for (let i = 0; i < OPS; i++) insUser.run(`bench${i}`, `坐席${String(i).padStart(3, '0')}`, iso, iso)
  const insBatch = db.prepare(
    "INSERT INTO import_batches (campaign_id, file_name, source, kind, policy, mapping, rows, imported, invalid, created_at) VALUES (1, ?, ?, 'csv', 'skip', '[]', ?, ?, 0, ?)"
  )
  for (let d = 0; d < DAYS; d++)
    insBatch.run(
      `名单${d + 1}.csv`,
      `渠道${d % 4}`,
      Math.floor(LEADS / DAYS),
      Math.floor(LEADS / DAYS),
      new Date(start + d * 86_400_000).toISOString()
    )
})()
const firstBatch = db.prepare("SELECT min(id) FROM import_batches WHERE file_name LIKE '名单%'").pluck().get()
db.exec(`
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${LEADS - 1})
  INSERT INTO leads (campaign_id, phone, phone_kind, name, batch_id, status, attempts, milestones, created_at, updated_at)
  SELECT 1, printf('138%08d', i), 'mobile', '客户' || i, ${firstBatch} + (i % ${DAYS}),
    CASE WHEN i % 10 < 8 THEN 'refused' ELSE 'invalid_number' END, 1, 0,
    strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000} + (i % ${DAYS}) * 86400, 'unixepoch'),
    strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000}, 'unixepoch')
  FROM n;
`)
const firstLead = db.prepare("SELECT min(id) FROM leads WHERE phone LIKE '138%'").pluck().get()
const firstOp = db.prepare("SELECT min(id) FROM users WHERE username LIKE 'bench%'").pluck().get()
db.exec(`
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${CALLS - 1})
  INSERT INTO calls (operator_id, lead_id, direction, line, started_at, answered_at, ended_at, campaign_id)
  SELECT ${firstOp} + (i % ${OPS}), ${firstLead} + (i % ${LEADS}), 'outbound', 'sip',
    strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000} + (i * ${(DAYS * 86400) / CALLS}), 'unixepoch'),
    CASE WHEN i % 3 = 0 THEN strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000} + (i * ${(DAYS * 86400) / CALLS}) + 8, 'unixepoch') END,
    strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000} + (i * ${(DAYS * 86400) / CALLS}) + 60, 'unixepoch'), 1
  FROM n;
`)
db.exec('PRAGMA synchronous = NORMAL')
const seedSec = ((performance.now() - t0) / 1000).toFixed(1)
console.log(`seeded ${OPS} operators, ${LEADS} leads, ${CALLS} calls in ${seedSec} s`)

// ——— the replay ———
const sync = new Map()
async function timed(conn, method, input) {
  // each IPC message arrives as a task of its own: the event loop turns between them
  await new Promise((r) => setImmediate(r))
  const s = performance.now()
  const p = conn.invoke(method, input)
  const ms = performance.now() - s // what ran before core first yielded: the main thread was held that long
  const r = await p
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
  const m = sync.get(method) ?? { n: 0, max: 0, total: 0 }
  m.n++
  m.total += ms
  m.max = Math.max(m.max, ms)
  sync.set(method, m)
  return r.value
}
const login = async (u) => {
  const c = core.connect({ source: 'ipc' })
  await timed(c, 'auth.login', { username: u, password: DEMO_PASSWORD })
  return c
}
const op = await login('op1')
const sup = await login('supervisor')
const dayMs = 86_400_000
const localMidnight = Date.parse('2026-11-29T16:00:00Z')
const periods = [
  [localMidnight, localMidnight + dayMs],
  [localMidnight - 6 * dayMs, localMidnight + dayMs],
  [localMidnight - 29 * dayMs, localMidnight + dayMs]
].map(([a, b]) => ({ from: new Date(a).toISOString(), to: new Date(b).toISOString() }))
const chunk = Buffer.alloc(4000, 7).toString('base64')
const peaks = Buffer.alloc(50 * 4, 20).toString('base64')

const delay = monitorEventLoopDelay({ resolution: 1 })
delay.enable()
for (let k = 0; k < HOUR_CALLS; k++) {
  const next = await timed(op, 'desk.next', {})
  if (!next.lead) throw new Error(`no lead for call ${k}: ${next.reason}`)
  await timed(op, 'desk.setState', { state: 'dialing' })
  const { callId } = await timed(op, 'desk.dial', { leadId: next.lead.id, line: 'simulated' })
  await timed(op, 'desk.setState', { state: 'on_call' })
  const { recordingId } = await timed(op, 'recordings.start', { callId, mime: 'audio/webm;codecs=opus' })
  for (let s = 0; s < 30; s++) {
    await timed(op, 'recordings.chunk', { recordingId, seq: s, data: chunk, peaks, durationMs: (s + 1) * 1000 })
    clock.advance(1000)
  }
  await timed(op, 'recordings.finish', { recordingId, chunks: 30, durationMs: 30_000 })
  await timed(op, 'calls.end', { callId, cause: 'operator', answered: true })
  await timed(op, 'desk.setState', { state: 'wrap_up' })
  await timed(op, 'desk.outcome', { clientId: `bench-main-${k}`, leadId: next.lead.id, callId, disposition: 'refused' })
  await timed(op, 'desk.setState', { state: 'ready' })
  await timed(op, 'desk.today', {})
  await timed(sup, 'reports.live', {})
  clock.advance(60_000)
}
for (const p of periods) {
  await timed(sup, 'reports.operators', p)
  await timed(sup, 'reports.funnel', p)
  await timed(sup, 'reports.numberQuality', p)
  await timed(sup, 'dispatch.board', p)
}
await timed(sup, 'qa.library', { filter: {}, sort: 'startedAt', dir: 'desc', offset: 0, limit: 200 })
await timed(sup, 'qa.library', { filter: { q: '客户1' }, sort: 'startedAt', dir: 'desc', offset: 0, limit: 200 })
await timed(sup, 'leads.search', { q: '客户12', limit: 50 })
delay.disable()

const rows = [...sync.entries()].map(([method, m]) => ({
  method,
  calls: m.n,
  avgMs: +(m.total / m.n).toFixed(2),
  maxMs: +m.max.toFixed(2)
}))
rows.sort((a, b) => b.maxMs - a.maxMs)
for (const r of rows)
  console.log(
    `${r.method.padEnd(24)} ${String(r.calls).padStart(5)} calls  avg ${r.avgMs.toFixed(2).padStart(7)} ms  max ${r.maxMs.toFixed(2).padStart(7)} ms`
  )
const longest = rows[0]
const figures = {
  operators: OPS,
  leads: LEADS,
  calls: CALLS,
  longestMethod: longest.method,
  longestSyncMs: longest.maxMs,
  eventLoopMaxDelayMs: +(delay.max / 1e6).toFixed(2),
  eventLoopP99DelayMs: +(delay.percentile(99) / 1e6).toFixed(2),
  frameMs: 16,
  withinFrame: longest.maxMs < 16
}
console.log(JSON.stringify(figures))
core.close()
rmSync(dir, { recursive: true, force: true })
