// The login storm after a power cut: BENCH_SEATS (300) seats, each from its own address on the LAN
// (127.0.x.y here), reach a freshly started hub at once. Measured in the same run:
// - passwordStormSeconds: every seat types its password (scrypt on the hub for each, a bounded queue;
//   a seat told "too many logins" tries again after 1–2 s, as a person would), until all are in;
// - storm300Seconds: the hub restarts (the power cut) and every seat that kept its login on the
//   computer (登录页「在这台电脑上保持登录」) resumes its session, no password hash, until all are in.
// Also the password hash's parameters and its cost on this machine (scryptMs, the mean of 20).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { scrypt } from 'node:crypto'
import { hubClient } from './_hub-client.mjs'

const require = createRequire(import.meta.url)
const { createCore, startHub } = require('../out/main/server.js')

const SEATS = Number(process.env.BENCH_SEATS ?? 300)
const quiet = { info() {}, warn() {}, error() {} }
const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-login-'))
const now = () => performance.now()

// the hash as stored: scrypt$N$r$p$salt$key
let core = await createCore({ dataDir: dir, logger: quiet, demo: true, demoLeads: false, recallEveryMs: null })
const stored = core.db.prepare("SELECT password_hash FROM users WHERE username = 'op1'").pluck().get()
const [, N, r, p] = stored.split('$').map(Number)
const at = new Date().toISOString()
const insUser = core.db.prepare(
  "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, 'operator', ?, ?, ?)"
)
core.db.transaction(() => {
  for (let i = 0; i < SEATS; i++) insUser.run(`storm${i}`, `坐席${i}`, stored, at, at)
})()
let scryptMs = 0
for (let i = 0; i < 20; i++) {
  const t = now()
  await new Promise((ok, fail) =>
    scrypt('demo1234', Buffer.alloc(16), 32, { N, r, p, maxmem: 64 * 1024 * 1024 }, (e) => (e ? fail(e) : ok()))
  )
  scryptMs += (now() - t) / 20
}
let hub = await startHub({ core, port: 0, staticDir: null, logger: quiet })
const port = new URL(hub.url).port

/** A seat's socket from its own address. */
const seat = (i) => hubClient(hub.url, { localAddress: `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}` })

/** Every seat connects and runs `attempt` until it is in; the seconds until the last one is. */
async function storm(attempt) {
  const t = now()
  let retries = 0
  const tokens = await Promise.all(
    Array.from({ length: SEATS }, async (_, i) => {
      const s = await seat(i)
      for (;;) {
        const res = await attempt(s, i)
        if (res.ok) {
          s.close()
          return res.value.token
        }
        if (res.error.key !== 'errors.tooManyLogins') throw new Error(`seat ${i}: ${res.error.message}`)
        retries++
        await new Promise((w) => setTimeout(w, 1000 + Math.random() * 1000))
      }
    })
  )
  return { seconds: +((now() - t) / 1000).toFixed(2), tokens, retries }
}

const password = await storm((s, i) => s.call('auth.login', { username: `storm${i}`, password: 'demo1234' }))
console.log(
  `password storm: ${SEATS} seats in ${password.seconds} s (${password.retries} told to try again); scrypt N=${N} r=${r} p=${p}: ${scryptMs.toFixed(1)} ms a hash`
)

// the power cut: the hub goes and comes back on the same data folder
await hub.close()
core.close()
core = await createCore({ dataDir: dir, logger: quiet, recallEveryMs: null })
hub = await startHub({ core, port: Number(port), staticDir: null, logger: quiet })
const resumed = await storm((s, i) => s.call('auth.resume', { token: password.tokens[i] }))
console.log(`after the power cut: ${SEATS} seats that kept their login are in within ${resumed.seconds} s`)

await hub.close()
core.close()
rmSync(dir, { recursive: true, force: true })
console.log(
  JSON.stringify({
    seats: SEATS,
    storm300Seconds: resumed.seconds,
    passwordStormSeconds: password.seconds,
    passwordRetries: password.retries,
    scrypt: { N, r, p },
    scryptMs: +scryptMs.toFixed(1)
  })
)
