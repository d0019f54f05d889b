// The integration API's lead intake: the same list posted to POST /api/v1/campaigns/1/leads in calls
// of 1,000 (as an insurer's system would), against a file import of the same rows, each into a fresh
// pool, measured in the same run (goal: the API at ≥ 0.5 of the file import's rows per second).
// Env: BENCH_ROWS (default 50,000).
import { mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { leadLines } from './_gen-leads.mjs'

const require = createRequire(import.meta.url)
const { createCore, startHub } = require('../out/main/server.js')

const N = Number(process.env.BENCH_ROWS ?? 50_000)
const CHUNK = Number(process.env.BENCH_CHUNK ?? 1000)
const quiet = { info() {}, warn() {}, error() {} }
const log = (...a) => console.log(...a)

const lines = [...leadLines(N, { seed: 21, offset: 70_000_000 })]
const csv = Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')
const leads = lines.slice(1).map((l) => {
  const [name, phone, gender, idNo, address, employer, note] = l.split(',')
  return {
    phone,
    ...(name ? { name } : {}),
    ...(gender === '男' ? { gender: 'M' } : gender === '女' ? { gender: 'F' } : {}),
    ...(idNo ? { idNo } : {}),
    ...(address ? { address } : {}),
    ...(employer ? { employer } : {}),
    ...(note ? { note } : {})
  }
})

async function freshCore(tag) {
  const dir = join(tmpdir(), `leadline-bench-api-${tag}-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return { core: await createCore({ dataDir: dir, demo: false, logger: quiet, timers: false }), dir }
}

async function fileImport() {
  const { core, dir } = await freshCore('file')
  const t0 = performance.now()
  const r = await core.leads.importFile(
    csv,
    { fileName: 'bench.csv', source: 'bench', campaignId: 1, policy: 'skip', userId: null },
    {},
    'bench'
  )
  const ms = performance.now() - t0
  core.close()
  rmSync(dir, { recursive: true, force: true })
  return { imported: r.imported, ms }
}

async function viaApi(list) {
  const { core, dir } = await freshCore('api')
  const hub = await startHub({ core, port: 0, staticDir: null, logger: quiet })
  const { key } = core.api.createKey({ id: 0, username: 'bench' }, { name: 'bench', scopes: ['leads:write'] }, 'bench')
  let created = 0
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < list.length; i += CHUNK) {
    const r = await fetch(`${hub.url}/api/v1/campaigns/1/leads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${i}` },
      body: JSON.stringify({ leads: list.slice(i, i + CHUNK) })
    })
    if (r.status !== 201) throw new Error(`POST answered ${r.status}: ${await r.text()}`)
    const { results } = await r.json()
    created += results.filter((x) => x.status === 'created').length
  }
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  await hub.close()
  core.close()
  rmSync(dir, { recursive: true, force: true })
  return { created, ms, cpuMs: (cpu.user + cpu.system) / 1000 }
}

// warm the JIT on the API's path
await viaApi(leads.slice(0, 2000))
const file = await fileImport()
const api = await viaApi(leads)
const fileRate = Math.round(file.imported / (file.ms / 1000))
const apiRate = Math.round(api.created / (api.ms / 1000))
log(`file import: ${file.imported} leads in ${Math.round(file.ms)} ms (${fileRate}/s)`)
log(
  `API (${CHUNK} a call): ${api.created} leads in ${Math.round(api.ms)} ms (${apiRate}/s); ratio ${(apiRate / fileRate).toFixed(2)} (goal ≥ 0.5)`
)
log(
  JSON.stringify({
    rows: N,
    fileImported: file.imported,
    fileRowsPerSec: fileRate,
    apiCreated: api.created,
    apiRowsPerSec: apiRate,
    ratio: Math.round((apiRate / fileRate) * 100) / 100,
    apiCpuMsPerLead: Math.round((api.cpuMs / api.created) * 1000) / 1000
  })
)
