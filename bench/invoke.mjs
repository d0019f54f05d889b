// Cost of one contract call (auth.me: session check, role check, validation, handler, output
// check) in core, and the same call through the hub's WebSocket on loopback, measured in one run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { createCore, startHub, DEMO_PASSWORD } = require('../out/main/server.js')
const WebSocket = require('ws')

const N = Number(process.env.BENCH_N ?? 5000)
const quiet = { info() {}, warn() {}, error() {} }
const pct = (arr, p) => {
  const s = [...arr].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const ms = (ns) => Number(ns) / 1e6

const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-'))
const core = await createCore({ dataDir: dir, logger: quiet })
const hub = await startHub({ core, port: 0, staticDir: null, logger: quiet })
try {
  const conn = core.connect({ source: 'bench' })
  await conn.invoke('auth.login', { username: 'op1', password: DEMO_PASSWORD })
  for (let i = 0; i < 500; i++) await conn.invoke('auth.me', {})
  const coreTimes = []
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    const s = process.hrtime.bigint()
    await conn.invoke('auth.me', {})
    coreTimes.push(ms(process.hrtime.bigint() - s))
  }
  const coreTotal = ms(process.hrtime.bigint() - t0)

  const ws = new WebSocket(hub.url.replace('http', 'ws') + '/api/ws')
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)))
  let id = 0
  const pending = new Map()
  ws.on('message', (d) => {
    const f = JSON.parse(String(d))
    pending.get(f.id)?.(f)
    pending.delete(f.id)
  })
  const call = (method, input) =>
    new Promise((r) => (pending.set(++id, r), ws.send(JSON.stringify({ id, method, input }))))
  await call('auth.login', { username: 'op2', password: DEMO_PASSWORD })
  for (let i = 0; i < 500; i++) await call('auth.me', {})
  const hubTimes = []
  const t1 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    const s = process.hrtime.bigint()
    const r = await call('auth.me', {})
    if (!r.ok) throw new Error('call failed')
    hubTimes.push(ms(process.hrtime.bigint() - s))
  }
  const hubTotal = ms(process.hrtime.bigint() - t1)
  ws.close()

  const figures = {
    calls: N,
    coreP50Ms: +pct(coreTimes, 50).toFixed(4),
    coreP99Ms: +pct(coreTimes, 99).toFixed(4),
    coreCallsPerSec: Math.round(N / (coreTotal / 1000)),
    hubP50Ms: +pct(hubTimes, 50).toFixed(4),
    hubP99Ms: +pct(hubTimes, 99).toFixed(4),
    hubCallsPerSec: Math.round(N / (hubTotal / 1000)),
    hubOverCoreP50: +(pct(hubTimes, 50) / pct(coreTimes, 50)).toFixed(2)
  }
  console.log(`core: p50 ${figures.coreP50Ms} ms, p99 ${figures.coreP99Ms} ms, ${figures.coreCallsPerSec} calls/s`)
  console.log(
    `hub:  p50 ${figures.hubP50Ms} ms, p99 ${figures.hubP99Ms} ms, ${figures.hubCallsPerSec} calls/s (sequential, one socket)`
  )
  console.log(JSON.stringify(figures))
} finally {
  await hub.close()
  core.close()
  rmSync(dir, { recursive: true, force: true })
}
