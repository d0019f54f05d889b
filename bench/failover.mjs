// A primary hub and a standby on this machine (the built CLI, a real Litestream, the lease in a
// shared folder), 50 seats saving outcomes continuously the way the desk does (each outcome kept
// until the hub says it is in the replica, sent again after a break; a hub saves a client id once).
// 1. kill: the primary gets SIGKILL and its data folder is deleted (disk loss); the seats find the
//    hub that writes now and go on. Printed: lostAcked (outcomes a seat saw saved that the new
//    primary lacks — goal 0), duplicated (goal 0), rtoMs (from the kill to the first outcome the new
//    primary accepts — goal ≤ 30,000 on a 1,000,000-lead database).
// 2. partition: the standby cannot reach the primary (a dead address) while the seats work on:
//    twoWriters (a second hub taking writes — goal 0).
// Env: BENCH_LEADS (1,000,000), BENCH_SEATS (50), BENCH_WORK_MS (8,000 before and after the kill),
// LEADLINE_LEASE_TTL_MS (the lease's TTL, 10,000).
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { createCore } = require('../out/main/server.js')
const WebSocket = require('ws')
const Database = require('better-sqlite3')

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000)
const SEATS = Number(process.env.BENCH_SEATS ?? 50)
const WORK_MS = Number(process.env.BENCH_WORK_MS ?? 8000)
const CLI = resolve('out/main/cli.js')
const quiet = { info() {}, warn() {}, error() {} }
const log = (...a) => console.error(...a)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
// both hubs on the same shifted clock: Monday 10:00 in Nanning, inside the calling windows
const CLOCK = { LEADLINE_CLOCK_START: '2026-11-23T10:00:00+08:00', LEADLINE_CLOCK_SINCE: String(Date.now()) }

const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => res(p))
    })
  })

const root = mkdtempSync(join(tmpdir(), 'll-bench-failover-'))
const procs = []

/** A pool of LEADS leads and SEATS operators with today's batches, written once (then copied per scenario). */
async function prepare(dir) {
  const core = await createCore({ dataDir: dir, demo: true, demoLeads: false, logger: quiet, timers: false })
  const db = core.db
  const at = new Date().toISOString()
  const batch = db
    .prepare(
      "INSERT INTO import_batches (campaign_id, file_name, source, kind, policy, mapping, created_at) VALUES (1, 'bench', 'bench', 'csv', 'skip', '[]', ?)"
    )
    .run(at).lastInsertRowid
  const ins = db.prepare(
    "INSERT INTO leads (campaign_id, phone, phone_kind, name, district_code, batch_id, created_at, updated_at) VALUES (1, ?, 'mobile', ?, '450103', ?, ?, ?)"
  )
  db.transaction(() => {
    for (let i = 0; i < LEADS; i++) ins.run(`13${String(100_000_000 + i)}`, `客户${i}`, batch, at, at)
  })()
  const hash = db.prepare("SELECT password_hash FROM users WHERE username = 'op1'").pluck().get()
  const insUser = db.prepare(
    "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, 'operator', ?, ?, ?)"
  )
  db.transaction(() => {
    for (let i = 0; i < SEATS; i++) insUser.run(`seat${i}`, `坐席${i}`, hash, at, at)
  })()
  core.close()
}

function hub(args) {
  const child = spawn(process.execPath, [CLI, 'serve', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group: killing it kills its Litestream too, as a machine's death does
    detached: true,
    env: { ...process.env, LANG: 'C', ...CLOCK }
  })
  const p = { child, lines: [], err: '' }
  let out = ''
  child.stdout.on('data', (d) => {
    out += d
    p.lines = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
  })
  child.stderr.on('data', (d) => (p.err = (p.err + d).slice(-4000)))
  procs.push(p)
  return p
}

async function line(p, key, ms = 120_000) {
  const end = Date.now() + ms
  for (;;) {
    const l = p.lines.find((x) => key in x)
    if (l) return l
    if (Date.now() > end || p.child.exitCode !== null) throw new Error(`no "${key}" line:\n${p.err}`)
    await sleep(50)
  }
}

/** A seat: the desk's protocol over its own WebSocket. */
function seat(k, hubs, stats) {
  const s = { k, url: hubs[0], ws: null, id: 0, pending: new Map(), unconfirmed: new Map(), stop: false }
  const call = (method, input, write = {}) =>
    new Promise((res) => {
      if (!s.ws || s.ws.readyState !== WebSocket.OPEN) return res({ ok: false, error: { code: 'UNAVAILABLE' } })
      const n = ++s.id
      const timer = setTimeout(() => {
        s.pending.delete(n)
        res({ ok: false, error: { code: 'UNAVAILABLE' } })
      }, 10_000)
      s.pending.set(n, (f) => {
        clearTimeout(timer)
        res(f)
      })
      s.ws.send(JSON.stringify({ id: n, method, input, ...write }))
    })
  const open = (url) =>
    new Promise((res) => {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/ws`)
      ws.on('message', (d) => {
        const f = JSON.parse(d.toString())
        if (f.event === 'replication.confirmed')
          for (const [id, u] of s.unconfirmed) if (u.savedAt <= f.payload.upTo) s.unconfirmed.delete(id)
        if (f.id !== undefined) {
          s.pending.get(f.id)?.(f)
          s.pending.delete(f.id)
        }
      })
      ws.once('open', () => res(ws))
      ws.once('error', () => res(null))
      ws.once('close', () => {
        for (const [, r] of s.pending) r({ ok: false, error: { code: 'UNAVAILABLE' } })
        s.pending.clear()
      })
    })
  /** The hub that writes now: the one answering 'primary' with the highest epoch. */
  const writer = async () => {
    const answers = await Promise.all(
      hubs.map((h) =>
        fetch(`${h}/healthz`, { signal: AbortSignal.timeout(1000) })
          .then(async (r) => ({ h, j: await r.json(), ok: r.ok }))
          .catch(() => null)
      )
    )
    const best = answers.filter((a) => a?.ok && a.j.role === 'primary').sort((a, b) => b.j.epoch - a.j.epoch)[0]
    return best?.h ?? null
  }
  const save = async (input) => {
    const r = await call('desk.outcome', input, { cid: input.clientId })
    if (!r.ok) return r
    stats.acked.add(input.clientId)
    if (s.url !== hubs[0] && stats.firstOnNew === null) stats.firstOnNew = Date.now()
    s.unconfirmed.set(input.clientId, { input, savedAt: r.at })
    return r
  }
  s.run = async () => {
    let seq = 0
    while (!s.stop) {
      if (!s.ws || s.ws.readyState !== WebSocket.OPEN) {
        const w = await writer()
        const ws = w && (await open(w))
        if (!ws) {
          await sleep(250)
          continue
        }
        s.ws = ws
        s.url = w
        const l = await call('auth.login', { username: `seat${k}`, password: 'demo1234' })
        if (!l.ok) {
          ws.close()
          await sleep(250)
          continue
        }
        // what the old hub acknowledged but had not replicated: sent again (saved once by its client id)
        for (const [, u] of [...s.unconfirmed]) {
          const r = await call('desk.outcome', u.input, { cid: u.input.clientId, resent: true })
          if (!r.ok) {
            const key = r.error?.key ?? r.error?.code
            stats.refused[key] = (stats.refused[key] ?? 0) + 1
            if (r.error?.code === 'UNAVAILABLE') break
            continue
          }
          stats.resent++
          s.unconfirmed.set(u.input.clientId, { input: u.input, savedAt: r.at })
        }
      }
      const n = await call('desk.next', {})
      if (!n.ok || !n.value.lead) {
        await sleep(n.ok ? 200 : 100)
        continue
      }
      const d = await call('desk.dial', { leadId: n.value.lead.id, line: 'sip' })
      if (!d.ok) continue
      await save({
        clientId: `fo-${k}-${++seq}-${n.value.lead.id}`,
        leadId: n.value.lead.id,
        callId: d.value.callId,
        disposition: 'no_answer'
      })
    }
    s.ws?.close()
  }
  return s
}

function outcomesIn(dataDir, acked) {
  const db = new Database(join(dataDir, 'leadline.db'), { readonly: true })
  const ids = new Set(db.prepare('SELECT client_id FROM outcomes WHERE client_id IS NOT NULL').pluck().all())
  const dup = db
    .prepare('SELECT count(*) FROM (SELECT client_id FROM outcomes GROUP BY client_id HAVING count(*) > 1)')
    .pluck()
    .get()
  db.close()
  let lost = 0
  for (const id of acked) if (!ids.has(id)) lost++
  return { lost, duplicated: dup, saved: ids.size }
}

try {
  let t = performance.now()
  const base = join(root, 'base')
  await prepare(base)
  log(
    `pool: ${LEADS.toLocaleString()} leads, ${SEATS} seats, prepared in ${((performance.now() - t) / 1000).toFixed(1)} s`
  )

  // ——— 1. the primary killed, its disk gone ———
  const a = join(root, 'a')
  const b = join(root, 'b')
  const replica = join(root, 'replica')
  rmSync(a, { recursive: true, force: true })
  require('node:fs').cpSync(base, a, { recursive: true })
  const pPort = await freePort()
  const sPort = await freePort()
  const primary = hub(['--data', a, '--port', String(pPort), '--replicate', `file://${replica}`])
  const p = await line(primary, 'url')
  const standby = hub([
    '--standby',
    '--data',
    b,
    '--port',
    String(sPort),
    '--replicate',
    `file://${replica}`,
    '--primary',
    p.url
  ])
  await line(standby, 'standby')
  const hubs = [p.url, `http://127.0.0.1:${sPort}`]
  // allocation: today's batches for every seat
  const sup = await new Promise((res) => {
    const ws = new WebSocket(`${p.url.replace(/^http/, 'ws')}/api/ws`)
    ws.once('open', () => res(ws))
  })
  const ask = (ws, method, input) =>
    new Promise((res) => {
      const id = Math.floor(Math.random() * 1e9)
      const on = (d) => {
        const f = JSON.parse(d.toString())
        if (f.id === id) {
          ws.off('message', on)
          res(f)
        }
      }
      ws.on('message', on)
      ws.send(JSON.stringify({ id, method, input }))
    })
  // the pool in the replica first (Litestream's first snapshot), as a hub that has run a while has it
  const adm = await new Promise((res) => {
    const ws = new WebSocket(`${p.url.replace(/^http/, 'ws')}/api/ws`)
    ws.once('open', () => res(ws))
  })
  await ask(adm, 'auth.login', { username: 'admin', password: 'demo1234' })
  t = performance.now()
  const waitFrom = Date.now()
  for (;;) {
    const r = await ask(adm, 'system.replication', {})
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    // everything written before we began waiting is in the replica (the first snapshot included)
    if (r.value.replicatedAt && new Date(r.value.replicatedAt).getTime() >= waitFrom) break
    if (performance.now() - t > 300_000) throw new Error(`not replicated: ${JSON.stringify(r.value)}`)
    await sleep(200)
  }
  adm.close()
  log(`first snapshot in the replica after ${((performance.now() - t) / 1000).toFixed(1)} s`)
  await ask(sup, 'auth.login', { username: 'supervisor', password: 'demo1234' })
  const users = await ask(sup, 'users.list', { role: 'operator' })
  const opIds = users.value.filter((u) => u.username.startsWith('seat')).map((u) => u.id)
  const alloc = await ask(sup, 'allocation.commit', { day: '2026-11-23', perOperator: 200, operatorIds: opIds })
  if (!alloc.ok) throw new Error(JSON.stringify(alloc.error))
  sup.close()
  const stats = { acked: new Set(), resent: 0, firstOnNew: null, refused: {} }
  const seats = Array.from({ length: SEATS }, (_, k) => seat(k, hubs, stats))
  const running = seats.map((s) => s.run())
  await sleep(WORK_MS)
  const before = stats.acked.size
  const killedAt = Date.now()
  process.kill(-primary.child.pid, 'SIGKILL')
  rmSync(a, { recursive: true, force: true })
  log(`killed the primary after ${before} outcomes saved; its data folder deleted`)
  const s = await line(standby, 'url')
  log(`standby serving after ${Date.now() - killedAt} ms (restore ${s.takeover.restoreMs} ms)`)
  const until = Date.now() + WORK_MS + 5000
  while (stats.firstOnNew === null && Date.now() < until + 30_000) await sleep(50)
  await sleep(WORK_MS)
  for (const x of seats) x.stop = true
  await Promise.all(running)
  const rtoMs = stats.firstOnNew === null ? null : stats.firstOnNew - killedAt
  const r = outcomesIn(b, stats.acked)
  log(
    `kill: ${stats.acked.size} outcomes acknowledged (${before} before the kill), ${r.saved} in the new primary; lostAcked ${r.lost}, duplicated ${r.duplicated}, resent ${stats.resent}, rto ${rtoMs} ms; resends refused ${JSON.stringify(stats.refused)}`
  )
  standby.child.kill('SIGTERM')
  await new Promise((res) => standby.child.once('exit', res))

  // ——— 2. a partition between the hubs ———
  const a2 = join(root, 'a2')
  require('node:fs').cpSync(base, a2, { recursive: true })
  const replica2 = join(root, 'replica2')
  const primary2 = hub(['--data', a2, '--port', String(await freePort()), '--replicate', `file://${replica2}`])
  const p2 = await line(primary2, 'url')
  const dead = await freePort()
  const sPort2 = await freePort()
  const standby2 = hub([
    '--standby',
    '--data',
    join(root, 'b2'),
    '--port',
    String(sPort2),
    '--replicate',
    `file://${replica2}`,
    '--primary',
    `http://127.0.0.1:${dead}`
  ])
  await line(standby2, 'standby')
  const supWs2 = await new Promise((res) => {
    const ws = new WebSocket(`${p2.url.replace(/^http/, 'ws')}/api/ws`)
    ws.once('open', () => res(ws))
  })
  await ask(supWs2, 'auth.login', { username: 'supervisor', password: 'demo1234' })
  await ask(supWs2, 'allocation.commit', { day: '2026-11-23', perOperator: 200, operatorIds: opIds })
  supWs2.close()
  const stats2 = { acked: new Set(), resent: 0, firstOnNew: null, refused: {} }
  const seats2 = Array.from({ length: SEATS }, (_, k) => seat(k, [p2.url, `http://127.0.0.1:${sPort2}`], stats2))
  const running2 = seats2.map((x) => x.run())
  const ttl = Number(process.env.LEADLINE_LEASE_TTL_MS) || 10_000
  await sleep(Math.max(WORK_MS, ttl * 3))
  for (const x of seats2) x.stop = true
  await Promise.all(running2)
  const epochs = readdirSync(join(replica2, 'lease')).filter((f) => /^epoch-\d+\.json$/.test(f)).length
  const twoWriters = (standby2.lines.some((l) => 'url' in l) ? 1 : 0) + (epochs - 1)
  log(`partition: ${stats2.acked.size} outcomes on the primary, lease epochs ${epochs}, twoWriters ${twoWriters}`)

  console.log(
    JSON.stringify({
      leads: LEADS,
      seats: SEATS,
      acked: stats.acked.size,
      lostAcked: r.lost,
      duplicated: r.duplicated,
      resent: stats.resent,
      rtoMs,
      restoreMs: s.takeover.restoreMs,
      goals: { lostAcked: 0, duplicated: 0, rtoMs: 30_000, twoWriters: 0 },
      twoWriters
    })
  )
} finally {
  for (const p of procs)
    if (p.child.exitCode === null && p.child.signalCode === null)
      try {
        process.kill(-p.child.pid, 'SIGKILL')
      } catch {
        // gone
      }
  await sleep(300)
  rmSync(root, { recursive: true, force: true })
}
