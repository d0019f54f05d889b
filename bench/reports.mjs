// The operator report and the funnel over 5,000,000 call records and 1,000,000 leads (200
// operators, 30 days), in core on a real SQLite file, each over a day, a week and the month (whole
// days: the daily figures kept by triggers) and over 4 hours inside a day (the raw calls);
// the auth.me call measured in the same run as the baseline. Prints the query plans.
// Env: BENCH_CALLS (default 5,000,000), BENCH_LEADS (default 1,000,000), BENCH_RUNS (default 5).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { createCore, ManualClock, DEMO_PASSWORD } = require('../out/main/server.js')

const CALLS = Number(process.env.BENCH_CALLS ?? 5_000_000)
const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const OPS = 200
const DAYS = 30
const quiet = { info() {}, warn() {}, error() {} }
const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-reports-'))
const end = Date.parse('2026-11-30T16:00:00Z') // the end of 30 Nov in Nanning
const start = end - DAYS * 86_400_000
const core = await createCore({
  dataDir: dir,
  logger: quiet,
  recallEveryMs: null,
  demoLeads: false,
  clock: new ManualClock(new Date(end - 3_600_000).toISOString())
})
const db = core.db

const t0 = performance.now()
db.exec('PRAGMA synchronous = OFF')
db.transaction(() => {
  const now = new Date(start).toISOString()
  const insUser = db.prepare(
    "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, 'operator', 'x', ?, ?)"
  )
  for (let i = 0; i < OPS; i++) insUser.run(`bench${i}`, `坐席${String(i).padStart(3, '0')}`, now, now)
  // batches: one per day; leads spread over the 30 days
  const insBatch = db.prepare(
    "INSERT INTO import_batches (campaign_id, file_name, source, kind, policy, mapping, rows, imported, invalid, created_at) VALUES (1, ?, ?, 'csv', 'skip', '[]', ?, ?, ?, ?)"
  )
  for (let d = 0; d < DAYS; d++)
    insBatch.run(
      `名单${d + 1}.csv`,
      `渠道${d % 4}`,
      Math.floor(LEADS / DAYS) + 500,
      Math.floor(LEADS / DAYS),
      500,
      new Date(start + d * 86_400_000 + 3_600_000).toISOString()
    )
})()
const firstBatch = db.prepare('SELECT min(id) FROM import_batches WHERE file_name LIKE ?').pluck().get('名单%')
db.exec(`
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${LEADS - 1})
  INSERT INTO leads (campaign_id, phone, phone_kind, name, batch_id, status, attempts, milestones, created_at, updated_at, last_outcome)
  SELECT 1, printf('139%08d', i), 'mobile', '客户' || i, ${firstBatch} + (i % ${DAYS}),
    CASE WHEN i % 10 < 5 THEN 'new' WHEN i % 10 < 8 THEN 'refused' WHEN i % 10 = 8 THEN 'accepted' ELSE 'invalid_number' END,
    CASE WHEN i % 10 < 3 THEN 0 ELSE 1 + i % 3 END, 0,
    strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000} + (i % ${DAYS}) * 86400 + 3600 + (i / ${DAYS}) % 3600, 'unixepoch'),
    strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000}, 'unixepoch'),
    CASE WHEN i % 10 = 9 THEN 'vacant' END
  FROM n;
`)
// dialed, as the desk marks it (the trigger on attempts counts each lead once)
db.exec('UPDATE leads SET attempts = attempts WHERE attempts > 0')
const firstLead = db.prepare('SELECT min(id) FROM leads').pluck().get()
const firstOp = db.prepare("SELECT min(id) FROM users WHERE username LIKE 'bench%'").pluck().get()
db.exec(`
  -- calls go to the leads that were dialed (7 in 10)
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${CALLS - 1})
  INSERT INTO calls (operator_id, lead_id, direction, line, started_at, answered_at, ended_at, campaign_id)
  SELECT ${firstOp} + (i % ${OPS}), ${firstLead} + ((i % ${(LEADS / 10) * 7}) / 7) * 10 + 3 + (i % ${(LEADS / 10) * 7}) % 7, 'outbound', 'sip',
    strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000} + (i * ${(DAYS * 86400) / CALLS}), 'unixepoch'),
    CASE WHEN i % 3 = 0 THEN strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000} + (i * ${(DAYS * 86400) / CALLS}) + 8, 'unixepoch') END,
    strftime('%Y-%m-%dT%H:%M:%fZ', ${start / 1000} + (i * ${(DAYS * 86400) / CALLS}) + 8 + (i % 3 = 0) * (30 + i % 240), 'unixepoch'), 1
  FROM n;
`)
db.exec(`
  INSERT INTO outcomes (client_id, lead_id, call_id, operator_id, campaign_id, disposition, label, success, connected, at)
  SELECT 'b' || id, lead_id, id, operator_id, 1, CASE WHEN answered_at IS NULL THEN 'no_answer' ELSE 'refused' END, 'x',
    (answered_at IS NOT NULL AND id % 30 = 1), answered_at IS NOT NULL, ended_at
  FROM calls WHERE operator_id >= ${firstOp};
`)
// ten teams (班组) of twenty operators
for (let k = 0; k < 10; k++) {
  const team = db
    .prepare('INSERT INTO teams (name, created_at) VALUES (?, ?)')
    .run(`班组${k + 1}`, new Date(start).toISOString()).lastInsertRowid
  db.prepare('UPDATE users SET team_id = ? WHERE id >= ? AND id < ?').run(
    team,
    firstOp + k * 20,
    firstOp + (k + 1) * 20
  )
}
const aTeam = db.prepare("SELECT id FROM teams WHERE name = '班组3'").pluck().get()
db.exec('PRAGMA synchronous = NORMAL; ANALYZE')
const calls = db.prepare('SELECT count(*) FROM calls').pluck().get()
const leads = db.prepare('SELECT count(*) FROM leads').pluck().get()
console.log(
  `generated ${calls.toLocaleString()} calls, ${leads.toLocaleString()} leads in ${((performance.now() - t0) / 1000).toFixed(0)} s`
)

const sup = core.connect({ source: 'bench' })
const login = await sup.invoke('auth.login', { username: 'supervisor', password: DEMO_PASSWORD })
if (!login.ok) throw new Error(login.error.message)
async function time(method, input) {
  const ms = []
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now()
    const r = await sup.invoke(method, input)
    ms.push(performance.now() - s)
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
  }
  return +[...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)].toFixed(1)
}
const iso = (t) => new Date(t).toISOString()
const ranges = { day: [end - 86_400_000, end], week: [end - 7 * 86_400_000, end], month: [start, end] }
const figures = { calls, leads, operators: OPS, baselineAuthMeMs: await time('auth.me', {}) }
for (const [name, [a, b]] of Object.entries(ranges)) {
  // every team (the demo supervisor sees their own team by default)
  figures[`operatorsReport_${name}_ms`] = await time('reports.operators', { from: iso(a), to: iso(b), teamId: 'all' })
  figures[`funnel_${name}_ms`] = await time('reports.funnel', { from: iso(a), to: iso(b) })
  figures[`operatorsReportOneTeam_${name}_ms`] = await time('reports.operators', {
    from: iso(a),
    to: iso(b),
    teamId: aTeam
  })
  figures[`teamsReport_${name}_ms`] = await time('reports.teams', { from: iso(a), to: iso(b) })
  console.log(
    `${name}: operator report ${figures[`operatorsReport_${name}_ms`]} ms (one team ${figures[`operatorsReportOneTeam_${name}_ms`]} ms), teams ${figures[`teamsReport_${name}_ms`]} ms, funnel ${figures[`funnel_${name}_ms`]} ms`
  )
}
// a period cut inside a day counts the raw calls (4 hours of the last day)
figures.operatorsReport_4hours_ms = await time('reports.operators', {
  from: iso(end - 10 * 3_600_000),
  to: iso(end - 6 * 3_600_000),
  teamId: 'all'
})
console.log(`4 hours inside a day (raw calls): operator report ${figures.operatorsReport_4hours_ms} ms`)
const month = await sup.invoke('reports.funnel', { from: iso(start), to: iso(end) })
if (month.ok) console.log('funnel of the month: ' + month.value.steps.map((x) => `${x.step} ${x.count}`).join(', '))
for (const [label, sql] of [
  [
    'daily figures of an operator',
    "SELECT sum(calls) FROM operator_days WHERE operator_id = 5 AND day >= '2026-11-01' AND day < '2026-12-01'"
  ],
  [
    'batches imported in a period',
    "SELECT b.id FROM import_batches b LEFT JOIN batch_funnel f ON f.batch_id = b.id WHERE b.created_at >= '2026-11-01' AND b.created_at < '2026-12-01'"
  ],
  [
    'calls of an operator inside a day',
    "SELECT count(*) FROM calls c WHERE c.operator_id = 5 AND c.line = 'sip' AND c.started_at >= '2026-11-30T02:00' AND c.started_at < '2026-11-30T06:00'"
  ]
]) {
  const plan = db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((r) => r.detail)
    .join('; ')
  console.log(`plan (${label}): ${plan}`)
}
core.close()
rmSync(dir, { recursive: true, force: true })
figures.targetMs = 200
console.log(JSON.stringify(figures))
