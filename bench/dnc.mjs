// The do-not-call list at scale: a 1,000,000-number list imported (CSV → entries, in one
// transaction, with the leads it stops parked) into a centre whose pool holds 1,000,000 leads, half
// of them on the list; against a bare prepared INSERT of the same numbers into a table of the same
// shape and indexes, measured in the same run. Then the check a dial makes (p50/p99 over 20,000
// numbers) against a primary-key lookup on the same table. Target: the import under 60 s.
// Env: BENCH_ROWS.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { createCore } = require('../out/main/server.js')
const Database = require('better-sqlite3')

const N = Number(process.env.BENCH_ROWS ?? 1_000_000)
const dir = join(tmpdir(), `leadline-bench-dnc-${process.pid}`)
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
const quiet = { info() {}, warn() {}, error() {} }
const log = (...a) => console.log(...a)
const phoneOf = (i) => `139${String(i).padStart(8, '0')}`

// the pool: numbers 0 … N-1; the list: N/2 … 3N/2-1 (half in the pool)
const core = await createCore({ dataDir: join(dir, 'data'), demo: false, logger: quiet, recallEveryMs: null })
const at = '2026-11-23T02:00:00.000Z'
let t0 = performance.now()
const batch = core.db
  .prepare(
    "INSERT INTO import_batches (campaign_id, file_name, source, kind, policy, mapping, created_at) VALUES (1, 'pool.csv', 'bench', 'csv', 'skip', '[]', ?)"
  )
  .run(at).lastInsertRowid
const insLead = core.db.prepare(
  "INSERT INTO leads (campaign_id, phone, phone_kind, name, gender, batch_id, created_at, updated_at) VALUES (1, ?, 'mobile', '客户', 'F', ?, ?, ?)"
)
core.db.transaction(() => {
  for (let i = 0; i < N; i++) insLead.run(phoneOf(i), batch, at, at)
})()
log(`pool: ${N.toLocaleString('en')} leads in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

const file = join(dir, 'list.csv')
const lines = ['手机号码']
for (let i = N / 2; i < N / 2 + N; i++) lines.push(phoneOf(i))
writeFileSync(file, lines.join('\n') + '\n')

t0 = performance.now()
const r = await core.dncImport(
  file,
  { source: 'external_list', reason: '协会名单', scope: 'all', scopeRef: '', channel: 'all' },
  'bench'
)
const importS = (performance.now() - t0) / 1000
log(
  `import: ${r.added.toLocaleString('en')} numbers in ${importS.toFixed(1)} s; ${r.leadsStopped.toLocaleString('en')} leads stopped`
)

// the floor: the same numbers parsed from the same file and inserted into the same table shape
const bare = new Database(join(dir, 'bare.db'))
bare.pragma('journal_mode = WAL')
bare.pragma('synchronous = NORMAL')
const mig = readFileSync(new URL('../electron/core/db/migrations/0027_dnc_governed.sql', import.meta.url), 'utf8')
bare.exec(mig.match(/CREATE TABLE dnc_entries \([\s\S]*?\) STRICT;/)[0].replace(/REFERENCES \w+ \(\w+\)/g, ''))
for (const ix of mig.match(/CREATE (UNIQUE )?INDEX dnc_entries_[\s\S]*?;/g)) bare.exec(ix)
t0 = performance.now()
const numbers = readFileSync(file, 'utf8').split('\n').slice(1, -1)
const ins = bare.prepare(
  "INSERT INTO dnc_entries (phone, source, reason, effective_at, added_at) VALUES (?, 'external_list', '协会名单', ?, ?)"
)
bare.transaction(() => {
  for (const p of numbers) ins.run(p, at, at)
})()
const bareS = (performance.now() - t0) / 1000
log(`bare insert of the same numbers: ${bareS.toFixed(1)} s (import/bare ${(importS / bareS).toFixed(2)})`)

// the check a dial makes, against a primary-key lookup
const conn = core.connectSystem('bench')
const probe = Array.from({ length: 20_000 }, (_, k) => phoneOf(Math.floor((k * 7919) % (2 * N))))
const pct = (xs, p) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]
const times = []
let blocked = 0
for (const phone of probe) {
  const s = performance.now()
  const c = await conn.invoke('dnc.check', { phone, campaignId: 1 })
  times.push(performance.now() - s)
  if (c.ok && c.value.blocked) blocked++
}
const pk = bare.prepare('SELECT 1 FROM dnc_entries WHERE id = ?').pluck()
const base = []
for (let k = 0; k < probe.length; k++) {
  const s = performance.now()
  pk.get((k * 7919) % N)
  base.push(performance.now() - s)
}
const checkP50 = pct(times, 0.5)
const checkP99 = pct(times, 0.99)
const baseP50 = pct(base, 0.5)
log(
  `dnc.check: p50 ${checkP50.toFixed(3)} ms p99 ${checkP99.toFixed(3)} ms (${blocked} of ${probe.length} blocked); primary-key lookup p50 ${baseP50.toFixed(4)} ms`
)
core.close()
bare.close()
rmSync(dir, { recursive: true, force: true })
console.log(
  JSON.stringify({
    rows: N,
    importSeconds: Number(importS.toFixed(2)),
    bareSeconds: Number(bareS.toFixed(2)),
    importOverBare: Number((importS / bareS).toFixed(2)),
    leadsStopped: r.leadsStopped,
    checkP50Ms: Number(checkP50.toFixed(3)),
    checkP99Ms: Number(checkP99.toFixed(3)),
    pkLookupP50Ms: Number(baseP50.toFixed(4)),
    targetSeconds: 60
  })
)
