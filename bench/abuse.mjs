// A bystander seat's `auth.me` while other machines on the LAN abuse the hub: deep 4 MB frames from a
// logged-in socket, a flood of logins for unknown users, and a flood of unawaited requests. The
// loopback addresses 127.0.0.2 and 127.0.0.3 stand for two other machines. The quiet phase before
// the attacks is the baseline, measured in the same run. Target: the bystander's worst auth.me
// stays under 200 ms in every phase.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const { createCore, startHub, DEMO_PASSWORD } = require('../out/main/server.js')
const WebSocket = require('ws')

const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 5000)
const quiet = { info() {}, warn() {}, error() {} }
const pct = (arr, p) => {
  const s = [...arr].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function client(url, localAddress) {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(url, { localAddress })
    let id = 0
    const pending = new Map()
    ws.on('message', (d) => {
      const f = JSON.parse(String(d))
      pending.get(f.id)?.(f)
      pending.delete(f.id)
    })
    ws.on('close', () => {
      for (const r of pending.values()) r({ ok: false, closed: true })
      pending.clear()
    })
    ws.on('error', () => {})
    const c = {
      ws,
      call: (method, input) =>
        new Promise((r) => (pending.set(++id, r), ws.send(JSON.stringify({ id, method, input })))),
      send: (text) => ws.readyState === ws.OPEN && ws.send(text),
      close: () => ws.close()
    }
    ws.once('open', () => ok(c))
    ws.once('error', fail)
  })
}

// The attackers run in a process of their own, as another machine would: their CPU is not the hub's.
if (process.argv[2] === 'attack') {
  const [kind, port] = [process.argv[3], Number(process.argv[4])]
  const from = (addr) => `ws://${addr}:${port}/api/ws`
  let stopped = false
  process.on('message', () => (stopped = true))
  if (kind === 'deep') {
    // a logged-in socket on another machine sends 4 MB of nested brackets, five at a time, over and over
    const deepFrame = `{"id":1,"method":"auth.me","input":${'['.repeat(2 * 1024 * 1024 - 40)}${']'.repeat(2 * 1024 * 1024 - 40)}}`
    const a = await client(from('127.0.0.2'), '127.0.0.2')
    await a.call('auth.login', { username: 'op2', password: DEMO_PASSWORD })
    while (!stopped) {
      for (let i = 0; i < 5; i++) a.send(deepFrame)
      await sleep(100)
    }
    a.close()
  } else if (kind === 'logins') {
    // 2,000 parallel logins for unknown users from one machine, again and again, on new sockets each time
    while (!stopped) {
      const socks = (
        await Promise.all(Array.from({ length: 20 }, () => client(from('127.0.0.3'), '127.0.0.3').catch(() => null)))
      ).filter(Boolean)
      await Promise.all(
        socks.flatMap((s, i) =>
          Array.from({ length: 100 }, (_, j) =>
            Promise.race([s.call('auth.login', { username: `nobody${i}-${j}`, password: 'guess-123' }), sleep(1000)])
          )
        )
      )
      socks.forEach((s) => s.close())
    }
  } else if (kind === 'requests') {
    // 10,000 unawaited requests on one logged-in socket, again and again
    const a = await client(from('127.0.0.2'), '127.0.0.2')
    await a.call('auth.login', { username: 'op3', password: DEMO_PASSWORD })
    while (!stopped) {
      for (let i = 0; i < 10_000; i++)
        a.send(JSON.stringify({ id: 1_000_000 + i, method: 'desk.unfinished', input: {} }))
      await sleep(200)
    }
    a.close()
  }
  await sleep(100)
  process.exit(0)
}

const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-abuse-'))
const core = await createCore({ dataDir: dir, logger: quiet, recallEveryMs: null })
const hub = await startHub({ core, port: 0, host: '0.0.0.0', staticDir: null, logger: quiet })
const url = `ws://127.0.0.1:${hub.port}/api/ws`

const bystander = await client(url, '127.0.0.1')
if (!(await bystander.call('auth.login', { username: 'op1', password: DEMO_PASSWORD })).ok)
  throw new Error('bystander login failed')

/** auth.me every 20 ms for the phase's length while the attack runs; the bystander's times and the hub's RSS growth. */
async function phase(name, kind) {
  const attacker = kind
    ? fork(fileURLToPath(import.meta.url), ['attack', kind, String(hub.port)], { stdio: 'inherit' })
    : null
  const rss0 = process.memoryUsage().rss
  let rssPeak = rss0
  const times = []
  const until = performance.now() + PHASE_MS
  while (performance.now() < until) {
    const s = performance.now()
    const r = await bystander.call('auth.me', {})
    if (!r.ok) throw new Error(`bystander refused in ${name}: ${JSON.stringify(r.error)}`)
    times.push(performance.now() - s)
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    await sleep(20)
  }
  if (attacker) {
    attacker.send('stop')
    await new Promise((r) => attacker.once('exit', r))
  }
  const r = {
    calls: times.length,
    p50: +pct(times, 50).toFixed(1),
    p99: +pct(times, 99).toFixed(1),
    max: +Math.max(...times).toFixed(1),
    rssMb: Math.round((rssPeak - rss0) / 1e6)
  }
  console.log(
    `${name.padEnd(14)} bystander auth.me: ${r.calls} calls, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms; hub RSS +${r.rssMb} MB at most`
  )
  return r
}

try {
  const baseline = await phase('quiet', null)
  const deep = await phase('deep frames', 'deep')
  const logins = await phase('login flood', 'logins')
  const requests = await phase('request flood', 'requests')
  const worst = Math.max(deep.max, logins.max, requests.max)
  console.log(
    JSON.stringify({
      baselineMaxMs: baseline.max,
      deepFramesMaxMs: deep.max,
      loginFloodMaxMs: logins.max,
      requestFloodMaxMs: requests.max,
      worstMaxMs: worst,
      deepFramesRssMb: deep.rssMb,
      targetMs: 200,
      met: worst < 200
    })
  )
} finally {
  bystander.close()
  await hub.close()
  core.close()
  rmSync(dir, { recursive: true, force: true })
}
