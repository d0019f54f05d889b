import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/kannel'
import { HubClient } from '../helpers/ws-client'

/**
 * A primary hub and a standby on this machine, each its own process of the built CLI, with the
 * database replicated by a real Litestream to a shared folder and the write lease in that folder.
 * The lease's TTL is 2 s here (10 s by default), so a takeover comes after about 3 s of silence.
 */
const CLI = resolve('out/main/cli.js')
const TTL = 2000

interface Proc {
  child: ChildProcess
  lines: Record<string, unknown>[]
  log: () => string
}

let tmp: string
const procs: Proc[] = []
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'll-failover-'))
})
afterEach(async () => {
  for (const p of procs.splice(0))
    if (p.child.exitCode === null && p.child.signalCode === null) {
      process.kill(-p.child.pid!, 'SIGKILL')
      await new Promise((r) => p.child.once('exit', r))
    }
  rmSync(tmp, { recursive: true, force: true })
})

function hub(args: string[]): Proc {
  const child = spawn(process.execPath, [CLI, 'serve', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group: killing it kills its Litestream too, as a machine's death does
    detached: true,
    env: { ...process.env, LANG: 'C', LEADLINE_LEASE_TTL_MS: String(TTL) }
  })
  const p: Proc = { child, lines: [], log: () => out + err }
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => {
    out += d
    const all = out.split('\n')
    p.lines = all.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
  })
  child.stderr!.on('data', (d: Buffer) => (err += d))
  procs.push(p)
  return p
}

/** A standby hub with its data in tmp/b, watching the replica's lease, told where the primary is. */
function standbyHub(replica: string, port: number, primary: string): Proc {
  return hub([
    '--standby',
    '--data',
    join(tmp, 'b'),
    '--port',
    String(port),
    '--replicate',
    `file://${replica}`,
    '--primary',
    primary
  ])
}

async function line(p: Proc, has: string, ms = 30_000): Promise<Record<string, unknown>> {
  const end = Date.now() + ms
  for (;;) {
    const l = p.lines.find((x) => has in x)
    if (l) return l
    if (Date.now() > end || p.child.exitCode !== null)
      throw new Error(`no line with "${has}" (exit ${p.child.exitCode}):\n${p.log().slice(-3000)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function expectEvent(c: HubClient, match: (e: { event: string; payload: unknown }) => boolean, ms = 20_000) {
  const end = Date.now() + ms
  while (!c.events.some(match)) {
    if (Date.now() > end) throw new Error(`no such event; heard ${JSON.stringify(c.events.slice(-5))}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** A primary replicating to tmp/replica, its standby waiting, and the administrator logged in on the primary. */
async function pairWithAdmin() {
  const replica = join(tmp, 'replica')
  const primary = hub(['--data', join(tmp, 'a'), '--port', '0', '--replicate', `file://${replica}`])
  const p = (await line(primary, 'url')) as { url: string }
  const standby = standbyHub(replica, await freePort(), p.url)
  await line(standby, 'standby')
  return { replica, primary, p, standby, c: await admin(p.url) }
}

async function admin(url: string): Promise<HubClient> {
  const c = await HubClient.connect(`${url.replace(/^http/, 'ws')}/api/ws`)
  expect((await c.call('auth.login', { username: 'admin', password: 'demo1234' })).ok).toBe(true)
  return c
}

describe('a standby hub (the lease in the replica folder, Litestream)', () => {
  it('the primary killed and its disk gone: the standby takes the next epoch, restores the replica and serves what was replicated', async () => {
    const replica = join(tmp, 'replica')
    const primary = hub(['--data', join(tmp, 'a'), '--port', '0', '--replicate', `file://${replica}`])
    const p = (await line(primary, 'url')) as { url: string; lease: { epoch: number } }
    expect(p.lease.epoch).toBe(1)
    const standbyPort = await freePort()
    const standby = standbyHub(replica, standbyPort, p.url)
    await line(standby, 'standby')
    // a write on the primary, acknowledged, then replicated
    const c = await admin(p.url)
    const made = await c.call('users.create', {
      username: 'failover1',
      displayName: '切换测试',
      role: 'operator',
      password: 'failover-pass-1'
    })
    expect(made.ok, JSON.stringify(made)).toBe(true)
    const acked = Date.now()
    for (;;) {
      const r = await c.call('system.replication', {})
      const at = r.ok ? (r.value as { replicatedAt: string | null }).replicatedAt : null
      if (at && new Date(at).getTime() >= acked) break
      await new Promise((r) => setTimeout(r, 100))
    }
    c.close()
    // the standby stays a standby while the lease is renewed
    await new Promise((r) => setTimeout(r, TTL * 2))
    expect(standby.lines.some((l) => 'url' in l)).toBe(false)
    // the primary's machine dies with its disk
    const killed = Date.now()
    process.kill(-primary.child.pid!, 'SIGKILL')
    rmSync(join(tmp, 'a'), { recursive: true, force: true })
    const s = (await line(standby, 'url')) as {
      url: string
      lease: { epoch: number }
      takeover: { fromEpoch: number; restoreMs: number }
    }
    const rtoMs = Date.now() - killed
    expect(s.lease.epoch).toBe(2)
    expect(s.takeover.fromEpoch).toBe(1)
    expect(rtoMs).toBeLessThan(TTL * 6)
    const c2 = await admin(s.url)
    const users = await c2.call('users.list', {})
    c2.close()
    expect(users.ok).toBe(true)
    expect((users.ok ? (users.value as { username: string }[]) : []).map((u) => u.username)).toContain('failover1')
    // the old primary, back with an empty disk, does not write: the standby holds the lease now
    const back = hub(['--data', join(tmp, 'a'), '--port', '0', '--replicate', `file://${replica}`])
    await line(back, 'waitingForLease')
    await new Promise((r) => setTimeout(r, TTL * 3))
    expect(back.lines.some((l) => 'url' in l)).toBe(false)
    expect(readdirSync(join(replica, 'lease')).filter((f) => f.endsWith('.json'))).toEqual([
      'epoch-1.json',
      'epoch-2.json'
    ])
  }, 120_000)

  it('any seat write, not only an outcome: its id is replicated with it, so after a takeover a resend of what reached the replica is not applied again and what did not is applied once', async () => {
    const { primary, standby, c } = await pairWithAdmin()
    const open = (summary: string, cid: string, resent = false) =>
      c2.call('complaints.open', { category: 'other', channel: 'call', summary, phone: '13900009999' }, 'zh-CN', {
        cid,
        resent
      })
    // A: acknowledged, and the hub then says its replica holds it
    let c2 = c
    const a = await open('已复制的投诉', 'cid-replicated-0001')
    expect(a.ok, JSON.stringify(a)).toBe(true)
    const at = (a as { at: string }).at
    await expectEvent(c, (e) => e.event === 'replication.confirmed' && (e.payload as { upTo: string }).upTo >= at)
    // B: acknowledged while Litestream cannot copy (stopped): it is lost with the primary
    const litestream = spawnSync('pgrep', ['-g', String(primary.child.pid), 'litestream'], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .map(Number)
    expect(litestream.length).toBe(1)
    process.kill(litestream[0], 'SIGSTOP')
    const b = await open('未复制的投诉', 'cid-lost-00000001')
    expect(b.ok, JSON.stringify(b)).toBe(true)
    process.kill(-primary.child.pid!, 'SIGKILL')
    rmSync(join(tmp, 'a'), { recursive: true, force: true })
    const s = (await line(standby, 'url')) as { url: string }
    // the seat sends both again from its journal
    c2 = await admin(s.url)
    const a2 = await open('已复制的投诉', 'cid-replicated-0001', true)
    const b2 = await open('未复制的投诉', 'cid-lost-00000001', true)
    expect(a2).toMatchObject({ ok: true, replayed: true })
    expect(b2.ok && !b2.replayed, JSON.stringify(b2)).toBe(true)
    // and once more (a second break): nothing new
    expect(await open('未复制的投诉', 'cid-lost-00000001', true)).toMatchObject({ ok: true, replayed: true })
    const list = await c2.call('complaints.list', {})
    c2.close()
    const summaries = (list.ok ? (list.value as { summary: string }[]) : []).map((x) => x.summary)
    expect(summaries.filter((x) => x === '已复制的投诉')).toHaveLength(1)
    expect(summaries.filter((x) => x === '未复制的投诉')).toHaveLength(1)
  }, 120_000)

  it('a partition between the two hubs: the primary keeps renewing, the standby never takes over (never two writers); a primary that sees a later epoch stops at once', async () => {
    const replica = join(tmp, 'replica')
    const primary = hub(['--data', join(tmp, 'a'), '--port', '0', '--replicate', `file://${replica}`])
    const p = (await line(primary, 'url')) as { url: string }
    // the standby cannot reach the primary at all (a dead address), but reads the lease
    const dead = await freePort()
    const standby = standbyHub(replica, await freePort(), `http://127.0.0.1:${dead}`)
    await line(standby, 'standby')
    await new Promise((r) => setTimeout(r, TTL * 4))
    expect(standby.lines.some((l) => 'url' in l)).toBe(false)
    expect((await fetch(`${p.url}/healthz`)).ok).toBe(true)
    // another hub took the next epoch (as a standby would): the primary stops writing and exits
    process.kill(-standby.child.pid!, 'SIGKILL')
    const lease = join(replica, 'lease')
    const cur = JSON.parse(readFileSync(join(lease, 'epoch-1.json'), 'utf8')) as { epoch: number }
    expect(cur.epoch).toBe(1)
    writeFileSync(
      join(lease, 'epoch-2.json'),
      JSON.stringify({ epoch: 2, holder: 'someone-else', url: '', beat: 0, at: new Date().toISOString() })
    )
    const code = await new Promise<number | null>((r) => primary.child.once('exit', (c) => r(c)))
    expect(code).toBe(3)
    expect(primary.log()).toContain('lease lost')
    expect(existsSync(join(tmp, 'a', 'leadline.db'))).toBe(true)
  }, 120_000)

  it('a planned handover from the settings: the primary gives the lease up once its writes are replicated, the standby takes over at once', async () => {
    const { primary, standby, c } = await pairWithAdmin()
    // the primary hears of its standby (it announces itself in the lease folder)
    type Rep = { standbys: string[]; epoch: number }
    let rep: Rep | null = null
    for (let i = 0; i < 50 && !(rep as Rep | null)?.standbys.length; i++) {
      const r = await c.call('system.replication', {})
      rep = r.ok ? (r.value as Rep) : null
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(rep).toMatchObject({ epoch: 1, standbys: [expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/)] })
    expect(
      (
        await c.call('users.create', {
          username: 'handover1',
          displayName: '交接',
          role: 'qa',
          password: 'handover-pass-1'
        })
      ).ok
    ).toBe(true)
    const asked = Date.now()
    expect((await c.call('system.handover', {})).ok).toBe(true)
    c.close()
    const code = await new Promise<number | null>((r) => primary.child.once('exit', (x) => r(x)))
    expect(code).toBe(0)
    const s = (await line(standby, 'url')) as { url: string; lease: { epoch: number } }
    // no waiting for the lease to run out: the primary gave it up
    expect(Date.now() - asked).toBeLessThan(TTL + 3000)
    expect(s.lease.epoch).toBe(2)
    const c2 = await admin(s.url)
    const users = await c2.call('users.list', {})
    c2.close()
    expect((users.ok ? (users.value as { username: string }[]) : []).map((u) => u.username)).toContain('handover1')
  }, 120_000)

  it('seats saving outcomes through a kill with disk loss and through a partition (npm run bench -- failover, small): nothing acknowledged lost, nothing twice, never two writers', () => {
    const r = spawnSync(process.execPath, [resolve('bench/failover.mjs')], {
      encoding: 'utf8',
      timeout: 240_000,
      env: {
        ...process.env,
        BENCH_LEADS: '3000',
        BENCH_SEATS: '6',
        BENCH_WORK_MS: '3000',
        LEADLINE_LEASE_TTL_MS: String(TTL)
      }
    })
    const last = r.stdout.trim().split('\n').pop() ?? ''
    expect(last.startsWith('{'), `${r.stderr.slice(-3000)}`).toBe(true)
    const f = JSON.parse(last) as {
      acked: number
      lostAcked: number
      duplicated: number
      twoWriters: number
      rtoMs: number
    }
    expect(f.acked).toBeGreaterThan(20)
    expect(f).toMatchObject({ lostAcked: 0, duplicated: 0, twoWriters: 0 })
    expect(f.rtoMs).toBeLessThan(TTL * 10)
  }, 300_000)
})
