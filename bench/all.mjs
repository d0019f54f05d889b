// Every bench, one after the other, with short settings (under 10 minutes in all on a 2-core
// machine), and one JSON summary of their figures: what a change touching a hot path runs before and
// after, with both summaries in its note. Progress goes to stderr; a bench that fails is reported
// with its error and the others still run. BENCH_ONLY=queue,login runs some of them.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
/** Each bench with the environment that makes it short; the full settings are the bench's own defaults. */
const SHORT = {
  invoke: { BENCH_N: '5000' },
  queue: { BENCH_LEADS: '200000', BENCH_CLAIMS: '8000' },
  login: { BENCH_SEATS: '300' },
  import: { BENCH_ROWS: '100000' },
  api: { BENCH_ROWS: '20000' },
  storage: { BENCH_FILES: '80', BENCH_ROUNDS: '3' },
  failover: { BENCH_LEADS: '100000', BENCH_SEATS: '50', BENCH_WORK_MS: '5000' },
  reports: { BENCH_CALLS: '500000', BENCH_LEADS: '100000', BENCH_RUNS: '3' },
  mainthread: { BENCH_LEADS: '50000', BENCH_CALLS: '60000', BENCH_HOUR_CALLS: '20' },
  abuse: { BENCH_PHASE_MS: '3000' },
  recording: { BENCH_SECONDS: '30' },
  monitor: { BENCH_CPU_SECONDS: '10', BENCH_CPU_TURNS: '1' },
  waveform: { BENCH_MINUTES: '20', BENCH_RUNS: '2' },
  load: { BENCH_RUNS: '1' }
}
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : Object.keys(SHORT)
const summary = {}
const started = Date.now()
for (const name of only) {
  if (!SHORT[name]) {
    summary[name] = { error: 'no such bench' }
    continue
  }
  const t = Date.now()
  process.stderr.write(`bench ${name}… `)
  const r = spawnSync(process.execPath, [join(here, `${name}.mjs`)], {
    cwd: join(here, '..'),
    env: { ...process.env, ...SHORT[name] },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 5 * 60_000
  })
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? ''
  try {
    if (r.status !== 0)
      throw new Error(`exit ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`)
    summary[name] = { ...JSON.parse(last), seconds: Math.round((Date.now() - t) / 1000) }
  } catch (err) {
    summary[name] = { error: String(err.message ?? err).slice(0, 500), seconds: Math.round((Date.now() - t) / 1000) }
  }
  process.stderr.write(`${summary[name].error ? 'failed' : 'done'} in ${summary[name].seconds} s\n`)
}
summary.totalSeconds = Math.round((Date.now() - started) / 1000)
console.log(JSON.stringify(summary))
