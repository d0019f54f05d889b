import { execFileSync, spawn } from 'node:child_process'
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as Minio from 'minio'
import { freePort } from './kannel'

const SCRIPTS = resolve(__dirname, '../object-store')

export interface ObjectStore {
  endpoint: string
  accessKey: string
  secretKey: string
  region: string
  dir: string
  client: Minio.Client
  /** A bucket; with Object Lock (and so versioning) when asked. */
  bucket(name: string, objectLock?: boolean): Promise<string>
  /** The gateway (radosgw) stopped: the S3 endpoint is gone, the cluster keeps its data. */
  stopGateway(): Promise<void>
  startGateway(): Promise<void>
  /** The keys in a bucket (under a prefix). */
  keys(bucket: string, prefix?: string): Promise<string[]>
  /** Keeps the daemons' logs under test-results/ (a failed test's explanation). */
  keepLogs(name: string): void
  stop(): void
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const r = await fetch(endpoint, { signal: AbortSignal.timeout(1000) })
    return (await r.text()).includes('ListAllMyBucketsResult')
  } catch {
    return false
  }
}

/**
 * A real S3 server for a test: Ceph's RADOS Gateway on a throw-away single-node cluster (one
 * monitor, one in-memory OSD), started by tests/object-store/start.sh in a temporary folder on a
 * free port, stopped by PID (stop.sh). About 2 s to start, 130 MB.
 */
export async function startObjectStore(): Promise<ObjectStore> {
  const dir = mkdtempSync(join(tmpdir(), 'll-s3-'))
  // the OSD takes ports from 6800-7300: the gateway's port stays out of that range
  let port = await freePort()
  while (port >= 6800 && port <= 7300) port = await freePort()
  const out = execFileSync('bash', [join(SCRIPTS, 'start.sh'), dir, String(port)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const env: Record<string, string> = {}
  for (const line of out.trim().split('\n')) {
    const m = /^([A-Z0-9_]+)="?(.*?)"?$/.exec(line)
    if (m) env[m[1]] = m[2]
  }
  const endpoint = env.S3_ENDPOINT
  const u = new URL(endpoint)
  const client = new Minio.Client({
    endPoint: u.hostname,
    port: Number(u.port),
    useSSL: false,
    accessKey: env.S3_ACCESS_KEY,
    secretKey: env.S3_SECRET_KEY,
    region: env.S3_REGION,
    pathStyle: true
  })
  const gatewayPid = () =>
    readFileSync(join(dir, 'pids'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .filter(([, name]) => name === 'rgw')
      .map(([pid]) => Number(pid))
      .pop()
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0)
      return !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'))
    } catch {
      return false
    }
  }
  let stopped = false
  return {
    endpoint,
    accessKey: env.S3_ACCESS_KEY,
    secretKey: env.S3_SECRET_KEY,
    region: env.S3_REGION,
    dir,
    client,
    async bucket(name, objectLock = false) {
      await client.makeBucket(name, env.S3_REGION, objectLock ? { ObjectLocking: true } : undefined)
      return name
    },
    async stopGateway() {
      const pid = gatewayPid()
      if (!pid || !alive(pid)) return
      process.kill(pid, 'SIGTERM')
      for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50))
      if (alive(pid)) process.kill(pid, 'SIGKILL')
    },
    async startGateway() {
      const child = spawn('radosgw', ['-c', join(dir, 'ceph.conf'), '-n', 'client.rgw.gw', '-f'], {
        detached: true,
        stdio: 'ignore'
      })
      child.unref()
      appendFileSync(join(dir, 'pids'), `${child.pid} rgw\n`)
      for (let i = 0; i < 300; i++) {
        if (await answers(endpoint)) return
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`radosgw did not answer again on ${endpoint}`)
    },
    keys(bucket, prefix = '') {
      const keys: string[] = []
      return new Promise((res, rej) =>
        client
          .listObjectsV2(bucket, prefix, true)
          .on('data', (o) => keys.push(o.name!))
          .on('error', rej)
          .on('end', () => res(keys))
      )
    },
    keepLogs(name) {
      if (existsSync(join(dir, 'log')))
        cpSync(join(dir, 'log'), resolve(__dirname, '../../test-results', `object-store-${name}`), { recursive: true })
    },
    stop() {
      if (stopped) return
      stopped = true
      try {
        execFileSync('bash', [join(SCRIPTS, 'stop.sh'), dir], { stdio: 'ignore' })
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}
