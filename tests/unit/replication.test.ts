import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { litestreamBinary } from '../../electron/core/system/replication'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { HubClient } from '../helpers/ws-client'
import { startObjectStore } from '../helpers/object-store'

let env: Awaited<ReturnType<typeof makeCore>>
let replica: string
beforeEach(async () => {
  env = await makeCore()
  replica = mkdtempSync(join(tmpdir(), 'll-replica-'))
})
afterEach(async () => {
  await env.core.replication()?.stop()
  env.cleanup()
  rmSync(replica, { recursive: true, force: true })
})

async function until<T>(what: () => T, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = what()
    if (ok(v)) return v
    if (Date.now() > end) throw new Error(`not reached in ${ms} ms: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('the database replicated by Litestream (a real Litestream 0.3.13)', () => {
  it('replicates what is written, says when it is replicated, restores from the replica; Litestream killed: not replicated, restarted by the hub', async () => {
    const bin = litestreamBinary()
    expect(bin, 'the npm package @flydotio/litestream-linux-x64 installs the binary').toBeTruthy()
    const admin = await loginAs(env.core, 'admin')
    expect(await ok(admin.invoke('system.replication', {}))).toMatchObject({ configured: false, replicating: false })
    const r = await env.core.replicate({ url: `file://${replica}` })
    insertLeads(env.core.db, 500, { first: 1 })
    const written = Date.now()
    const s = await until(
      () => r.status(),
      (x) => x.replicating && x.lagBytes === 0 && !!x.replicatedAt && new Date(x.replicatedAt).getTime() >= written
    )
    expect(s.target).toBe(`file://${replica}`)
    expect(await ok(admin.invoke('system.replication', {}))).toMatchObject({ configured: true, replicating: true })
    const op = await loginAs(env.core, 'op1')
    expect((await op.invoke('system.replication', {})).ok).toBe(false)
    // the replica alone gives the database back, with what was written
    const out = join(replica, 'restored.db')
    execFileSync(bin!, ['restore', '-o', out, `file://${replica}`])
    const db = new Database(out, { readonly: true })
    const n = (db.prepare("SELECT count(*) AS n FROM leads WHERE phone LIKE '139%'").get() as { n: number }).n
    db.close()
    expect(n).toBe(500)
    // Litestream dies: the hub does not call itself replicated, and starts it again
    process.kill(s.pid!, 'SIGKILL')
    const down = await until(
      () => r.status(),
      (x) => !x.replicating
    )
    expect(down.lastError).toContain('exited')
    const back = await until(
      () => r.status(),
      (x) => x.replicating && x.restarts === 1 && x.pid !== s.pid
    )
    insertLeads(env.core.db, 10, { first: 1000 })
    const after = Date.now()
    await until(
      () => r.status(),
      (x) => !!x.replicatedAt && new Date(x.replicatedAt).getTime() >= after
    )
    expect(back.restarts).toBe(1)
  }, 60_000)

  it('`leadline serve --replicate file:///…` runs Litestream beside the hub (the built CLI), says so, and stops it with the hub', async () => {
    const data = mkdtempSync(join(tmpdir(), 'll-serve-rep-'))
    const hub = spawn(
      process.execPath,
      [
        resolve('out/main/cli.js'),
        'serve',
        '--data',
        data,
        '--port',
        '0',
        '--json',
        '--replicate',
        `file://${replica}`
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'C' } }
    )
    try {
      let out = ''
      const line = await new Promise<{ url: string; replicate: string }>((res, rej) => {
        hub.stdout!.on('data', (d) => {
          out += d
          const l = out.split('\n').find((x) => x.includes('"url"'))
          if (l) res(JSON.parse(l))
        })
        hub.once('exit', (code) => rej(new Error(`hub exited ${code}`)))
      })
      expect(line.replicate).toBe(`file://${replica}`)
      const c = await HubClient.connect(`${line.url.replace(/^http/, 'ws')}/api/ws`)
      expect((await c.call('auth.login', { username: 'admin', password: 'demo1234' })).ok).toBe(true)
      const end = Date.now() + 15_000
      type Status = { replicating: boolean; replicatedAt: string | null }
      let status: Status | null = null
      while (Date.now() < end) {
        const r = await c.call('system.replication', {})
        status = r.ok ? (r.value as Status) : null
        if (status?.replicating && status.replicatedAt) break
        await new Promise((r) => setTimeout(r, 200))
      }
      c.close()
      expect(status).toMatchObject({ replicating: true })
      expect(readdirSync(join(replica, 'generations')).length).toBe(1)
    } finally {
      hub.kill('SIGTERM')
      await new Promise((r) => hub.once('exit', r))
      rmSync(data, { recursive: true, force: true })
    }
    // the hub took Litestream with it (pgrep finds nothing: status 1)
    expect(spawnSync('pgrep', ['-f', join(data, 'replication', 'litestream.yml')]).status).toBe(1)
  }, 60_000)

  it('replicates to the object store too (s3://, a real Ceph RADOS Gateway) and restores from it', async () => {
    const s3 = await startObjectStore()
    try {
      await s3.bucket('db-replica')
      const r = await env.core.replicate({
        url: 's3://db-replica/leadline',
        s3: {
          endpoint: s3.endpoint,
          region: s3.region,
          accessKey: s3.accessKey,
          secretKey: s3.secretKey,
          pathStyle: true
        }
      })
      insertLeads(env.core.db, 200, { first: 5000 })
      const written = Date.now()
      await until(
        () => r.status(),
        (x) => x.replicating && !!x.replicatedAt && new Date(x.replicatedAt).getTime() >= written,
        30_000
      )
      expect((await s3.keys('db-replica', 'leadline/')).some((k) => k.includes('generations/'))).toBe(true)
      // the replica alone (Litestream's own configuration, which holds the store's address and keys)
      const out = join(replica, 'from-s3.db')
      execFileSync(litestreamBinary()!, [
        'restore',
        '-config',
        join(env.dir, 'replication', 'litestream.yml'),
        '-o',
        out,
        join(env.dir, 'leadline.db')
      ])
      const db = new Database(out, { readonly: true })
      expect((db.prepare("SELECT count(*) AS n FROM leads WHERE phone LIKE '139%'").get() as { n: number }).n).toBe(200)
      db.close()
    } finally {
      await env.core.replication()?.stop()
      s3.stop()
    }
  }, 120_000)
})
