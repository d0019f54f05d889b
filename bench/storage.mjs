// Recordings to object storage: the hub's archive job (each upload checked — Content-MD5 per part,
// the ETag, size and SHA-256 read back with a HEAD — and recorded in the database) against a plain
// PutObject loop of the same files with the same parallelism (4), in the same run, on a real Ceph
// RADOS Gateway started here (tests/object-store/start.sh). Goal: the archive at ≥ 0.8 of the plain
// loop's MB/s. Also the hub's CPU share while uploading (CPU time of this process / wall time).
// Env: BENCH_FILES (default 160 recordings of 1 MiB, plus 4 of 12 MiB that go multipart), BENCH_ROUNDS
// (3: the two take turns, the medians compared).
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { createCore } = require('../out/main/server.js')
const Minio = require('minio')

const FILES = Number(process.env.BENCH_FILES ?? 160)
const BIG = 4
const PARALLEL = 4
const quiet = { info() {}, warn() {}, error() {} }
const log = (...a) => console.error(...a)

const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => res(p))
    })
  })

// the store
const storeDir = mkdtempSync(join(tmpdir(), 'll-bench-s3-'))
let port = await freePort()
while (port >= 6800 && port <= 7300) port = await freePort()
const env = Object.fromEntries(
  execFileSync('bash', [resolve('tests/object-store/start.sh'), storeDir, String(port)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MEMSTORE_BYTES: String(8 * 1024 ** 3) }
  })
    .trim()
    .split('\n')
    .map((l) => /^([A-Z0-9_]+)="?(.*?)"?$/.exec(l))
    .filter(Boolean)
    .map((m) => [m[1], m[2]])
)
const stop = () => {
  try {
    execFileSync('bash', [resolve('tests/object-store/stop.sh'), storeDir], { stdio: 'ignore' })
  } finally {
    rmSync(storeDir, { recursive: true, force: true })
  }
}
const u = new URL(env.S3_ENDPOINT)
const client = new Minio.Client({
  endPoint: u.hostname,
  port: Number(u.port),
  useSSL: false,
  accessKey: env.S3_ACCESS_KEY,
  secretKey: env.S3_SECRET_KEY,
  region: env.S3_REGION,
  pathStyle: true
})

// the recordings: FILES of 1 MiB (a few minutes of stereo Opus) and BIG of 12 MiB
const data = mkdtempSync(join(tmpdir(), 'll-bench-storage-'))
const files = []
for (let i = 0; i < FILES + BIG; i++) {
  const rel = `recordings/2026/11/01/${i + 1}-b.webm`
  const body = randomBytes(i < FILES ? 1024 * 1024 : 12 * 1024 * 1024)
  mkdirSync(join(data, 'recordings/2026/11/01'), { recursive: true })
  writeFileSync(join(data, rel), body)
  files.push({ rel, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') })
}
const totalMb = files.reduce((a, f) => a + f.bytes, 0) / 1024 / 1024

function measure(fn) {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  return fn().then((r) => {
    const ms = performance.now() - t0
    const c = process.cpuUsage(c0)
    return { ...r, ms, mbPerSec: totalMb / (ms / 1000), cpuShare: (c.user + c.system) / 1000 / ms }
  })
}

try {
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
  // the hub's database: the same files as recordings of real calls
  const core = await createCore({ dataDir: data, demo: true, demoLeads: false, logger: quiet, timers: false })
  const op = core.db.prepare("SELECT id FROM users WHERE role = 'operator' LIMIT 1").pluck().get()
  core.db.transaction(() => {
    for (const f of files) {
      const callId = core.db
        .prepare(
          "INSERT INTO calls (operator_id, direction, line, started_at, ended_at) VALUES (?, 'outbound', 'sip', '2026-11-01T02:00:00Z', '2026-11-01T02:05:00Z')"
        )
        .run(op).lastInsertRowid
      core.db
        .prepare(
          `INSERT INTO recordings (call_id, operator_id, file, mime, state, started_at, ended_at, duration_ms, bytes, sha256)
           VALUES (?, ?, ?, 'audio/webm;codecs=opus', 'done', '2026-11-01T02:00:00Z', '2026-11-01T02:05:00Z', 300000, ?, ?)`
        )
        .run(callId, op, f.rel, f.bytes, f.sha256)
    }
  })()
  const plains = []
  const archives = []
  // rounds, the two taking turns (a store that warms up or fills favours neither), each into a bucket of its own
  for (let round = 1; round <= ROUNDS; round++) {
    // 1. a plain PutObject loop: read the file, put it; nothing checked or recorded
    const plainBucket = `plain-${round}`
    await client.makeBucket(plainBucket, env.S3_REGION)
    const plain = await measure(async () => {
      let next = 0
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < files.length) {
            const f = files[next++]
            const body = readFileSync(join(data, f.rel))
            await client.putObject(plainBucket, f.rel, body, body.length, { 'Content-Type': 'audio/webm' })
          }
        })
      )
      return {}
    })
    plains.push(plain)
    // 2. the hub's archive job on the same files (a new bucket: every recording waits again)
    const bucket = `archive-${round}`
    await client.makeBucket(bucket, env.S3_REGION)
    await core.recordings.archive.set(
      {
        kind: 's3',
        endpoint: env.S3_ENDPOINT,
        region: env.S3_REGION,
        bucket,
        prefix: '',
        pathStyle: true,
        accessKey: env.S3_ACCESS_KEY,
        secretKey: env.S3_SECRET_KEY,
        seatsReach: false,
        graceHours: 24,
        cacheMb: 100_000
      },
      { id: 0, username: 'bench', role: 'admin' },
      'bench'
    )
    const archive = await measure(async () => {
      let uploaded = 0
      while (core.recordings.archive.status().localOnly > 0) {
        const t = await core.recordings.archive.tick()
        if (t.failed) throw new Error(`uploads failed: ${core.recordings.archive.status().lastError}`)
        uploaded += t.uploaded
      }
      return { uploaded }
    })
    archives.push(archive)
    log(
      `round ${round}: plain PutObject ×${PARALLEL} ${plain.mbPerSec.toFixed(1)} MB/s, archive job ${archive.mbPerSec.toFixed(1)} MB/s (${archive.uploaded} recordings, each checked)`
    )
  }
  core.close()
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const plainMBps = median(plains.map((p) => p.mbPerSec))
  const archiveMBps = median(archives.map((a) => a.mbPerSec))
  const ratio = archiveMBps / plainMBps
  const cpu = median(archives.map((a) => a.cpuShare))
  log(`median: ratio ${ratio.toFixed(2)} (goal ≥ 0.8); hub CPU while uploading: ${(cpu * 100).toFixed(0)} % of a core`)
  console.log(
    JSON.stringify({
      recordings: files.length,
      mb: Math.round(totalMb),
      parallel: PARALLEL,
      rounds: ROUNDS,
      plainMBps: Number(plainMBps.toFixed(1)),
      archiveMBps: Number(archiveMBps.toFixed(1)),
      ratio: Number(ratio.toFixed(2)),
      goal: 0.8,
      hubCpuShare: Number(cpu.toFixed(2)),
      plainCpuShare: Number(median(plains.map((p) => p.cpuShare)).toFixed(2))
    })
  )
} finally {
  stop()
  rmSync(data, { recursive: true, force: true })
}
