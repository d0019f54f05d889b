// Lead import at scale: a 1,000,000-row list in UTF-8 and in GBK, into an empty pool and into a
// pool that already holds 1,000,000 leads, against a bare prepared INSERT loop into an
// equivalent table (same columns and indexes as `leads`) on the same rows, measured in the same
// run. Then search p95 on the full pool. The import is timed to its commit (the pool is usable
// then); the search index, which catches up right after, is timed on its own. Env: BENCH_ROWS.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { leadLines } from './_gen-leads.mjs'

const require = createRequire(import.meta.url)
const { createCore } = require('../out/main/server.js')
const iconv = require('iconv-lite')
const Database = require('better-sqlite3')

const N = Number(process.env.BENCH_ROWS ?? 1_000_000)
const dataDir = join(import.meta.dirname, '.data')
mkdirSync(dataDir, { recursive: true })
const quiet = { info() {}, warn() {}, error() {} }
const log = (...a) => console.log(...a)

function listFile(name, opts, encoding) {
  const file = join(dataDir, `${name}-${N}-${encoding}.csv`)
  if (!existsSync(file)) {
    const text = [...leadLines(N, opts)].join('\r\n') + '\r\n'
    writeFileSync(file, encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8'))
  }
  return file
}

/** The floor: parsed rows inserted by a prepared statement in one transaction, same table shape. */
function bareInsert(rowsFile) {
  const dir = join(tmpdir(), `leadline-bench-bare-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir)
  const db = new Database(join(dir, 'bare.db'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  // the same connection settings as core's (electron/core/db/open.ts)
  db.pragma('cache_size = -65536')
  db.pragma('temp_store = MEMORY')
  const mig = readFileSync(new URL('../electron/core/db/migrations/0002_leads.sql', import.meta.url), 'utf8')
  const leadsDdl = mig.match(/CREATE TABLE leads \([\s\S]*?\) STRICT;/)[0].replace(/REFERENCES \w+ \(\w+\)/g, '')
  const indexes = mig.match(/CREATE INDEX leads_[\s\S]*?;/g)
  db.exec(leadsDdl)
  for (const ix of indexes) db.exec(ix)
  const rows = readFileSync(rowsFile, 'utf8')
    .split('\r\n')
    .slice(1, -1)
    .map((l) => l.split(','))
  const ins = db.prepare(
    `INSERT OR IGNORE INTO leads (campaign_id, phone, phone_kind, name, gender, birth_date, id_no, address, district_code, employer, occupation, note, extra, batch_id, created_at, updated_at)
     VALUES (1, ?, 'mobile', ?, ?, NULL, ?, ?, NULL, ?, NULL, NULL, NULL, 1, '2026-11-23', '2026-11-23')`
  )
  const gender = { 男: 'M', 女: 'F' }
  let inserted = 0
  const t0 = performance.now()
  db.transaction(() => {
    for (const r of rows)
      inserted += ins.run(r[1], r[0], gender[r[2]] ?? null, r[3] || null, r[4], r[5] || null).changes
  })()
  const ms = performance.now() - t0
  db.close()
  // Only rows in the file twice are ignored; anything else would make the floor look faster than it is.
  if (inserted < rows.length * 0.95) throw new Error(`bare insert stored only ${inserted} of ${rows.length} rows`)
  rmSync(dir, { recursive: true, force: true })
  return { rows: rows.length, ms }
}

/** The import proper (read, parse, normalise, dedupe, district, write, commit), then the search index. */
async function timedImport(core, file, name) {
  const bytes = readFileSync(file)
  const t0 = performance.now()
  const r = await core.leads.importFile(
    bytes,
    { fileName: name, source: 'bench', campaignId: 1, policy: 'skip', userId: null },
    { deferIndex: true },
    'bench'
  )
  const ms = performance.now() - t0
  const t1 = performance.now()
  core.leads.indexSearch()
  return { ...r, ms, indexMs: performance.now() - t1 }
}

async function freshCore(tag) {
  const dir = join(tmpdir(), `leadline-bench-${tag}-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  return { core: await createCore({ dataDir: dir, demo: false, logger: quiet }), dir }
}

const listA8 = listFile('listA', { seed: 7, offset: 0 }, 'utf8')
const listAgbk = listFile('listA', { seed: 7, offset: 0 }, 'gbk')
const listB8 = listFile('listB', { seed: 11, offset: 50_000_000 }, 'utf8')
log(`rows per list: ${N}`)

// Warm up the JIT on a list big enough to take the two-thread path (over 4 MB), so the first
// measured import is not also paying for compilation.
{
  const warm = join(dataDir, 'warmup.csv')
  writeFileSync(warm, [...leadLines(80_000, { seed: 99, offset: 90_000_000 })].join('\r\n') + '\r\n')
  const { core, dir } = await freshCore('warmup')
  await timedImport(core, warm, 'warmup.csv')
  core.close()
  rmSync(dir, { recursive: true, force: true })
}

const bare = bareInsert(listA8)
const bareRate = bare.rows / (bare.ms / 1000)
log(`bare prepared INSERT, same table and indexes: ${bare.ms.toFixed(0)} ms, ${Math.round(bareRate)} rows/s`)

const results = {}
for (const [label, file] of [
  ['utf8', listA8],
  ['gbk', listAgbk]
]) {
  const { core, dir } = await freshCore(label)
  const r = await timedImport(core, file, `listA-${label}.csv`)
  results[label] = r
  log(
    `import ${label} into empty pool: ${r.ms.toFixed(0)} ms, ${Math.round(r.rows / (r.ms / 1000))} rows/s — imported ${r.imported}, dup in file ${r.duplicatesInFile}, invalid ${r.invalid}; search index after it: ${r.indexMs.toFixed(0)} ms`
  )
  if (label === 'gbk') {
    core.close()
    rmSync(dir, { recursive: true, force: true })
    continue
  }
  // The same pool (now holding the first list) takes a second list of the same size.
  const full = await timedImport(core, listB8, 'listB.csv')
  results.intoFull = full
  const pool = core.db.prepare('SELECT count(*) FROM leads').pluck().get()
  log(
    `import utf8 into a pool of ${r.imported} leads: ${full.ms.toFixed(0)} ms, ${Math.round(full.rows / (full.ms / 1000))} rows/s — pool now ${pool}; search index after it: ${full.indexMs.toFixed(0)} ms`
  )

  // Search as people type, on the full pool.
  const names = core.db.prepare('SELECT name, phone, address FROM leads WHERE id % 997 = 0 LIMIT 200').all()
  const queries = names.flatMap((l, i) => [
    l.name.slice(0, 2),
    l.name.slice(-2),
    l.phone.slice(3, 8),
    l.address.slice(-8, -3),
    i % 2 ? l.name : l.phone.slice(-6)
  ])
  for (const q of queries.slice(0, 50)) core.leads.search({ q }, 50)
  const times = []
  for (const q of queries) {
    const t0 = performance.now()
    core.leads.search({ q }, 50)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  results.searchP95Ms = times[Math.floor(times.length * 0.95)]
  results.searchP50Ms = times[Math.floor(times.length * 0.5)]
  results.searches = times.length
  log(
    `search on ${pool} leads: p50 ${results.searchP50Ms.toFixed(2)} ms, p95 ${results.searchP95Ms.toFixed(2)} ms over ${times.length} queries`
  )
  core.close()
  rmSync(dir, { recursive: true, force: true })
}

const rate = (r) => Math.round(r.rows / (r.ms / 1000))
const figures = {
  rows: N,
  rowsPerSec: rate(results.utf8),
  gbkRowsPerSec: rate(results.gbk),
  intoFullPoolRowsPerSec: rate(results.intoFull),
  bareInsertRowsPerSec: Math.round(bareRate),
  ratio: +(rate(results.utf8) / bareRate).toFixed(3),
  ratioIntoFullPool: +(rate(results.intoFull) / bareRate).toFixed(3),
  utf8Seconds: +(results.utf8.ms / 1000).toFixed(2),
  searchIndexSeconds: +(results.utf8.indexMs / 1000).toFixed(2),
  utf8WithIndexSeconds: +((results.utf8.ms + results.utf8.indexMs) / 1000).toFixed(2),
  gbkSeconds: +(results.gbk.ms / 1000).toFixed(2),
  intoFullPoolSeconds: +(results.intoFull.ms / 1000).toFixed(2),
  searchP50Ms: +results.searchP50Ms.toFixed(2),
  searchP95Ms: +results.searchP95Ms.toFixed(2)
}
console.log(JSON.stringify(figures))
