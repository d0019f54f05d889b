import { expect, test, type Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { E2E_CLOCK_START } from '../../playwright.config'
import { HubClient } from '../helpers/ws-client'
import { DEMO_PASSWORD, pickSuccessWithVisit } from './support'

/**
 * A primary hub and its standby of their own (the built CLI, a real Litestream, the lease in a
 * shared folder; a 2 s lease so the takeover comes in seconds), and an operator's desk in Chromium
 * on the primary's page: the primary dies with its disk, the desk follows the lease to the standby.
 */
const PRIMARY = Number(process.env.LEADLINE_E2E_PRIMARY_PORT ?? 7396)
const STANDBY = PRIMARY + 1
const TTL = 2000

interface Proc {
  child: ChildProcess
  out: string
}
let tmp: string
const procs: Proc[] = []

function hub(args: string[]): Proc {
  const child = spawn(process.execPath, [resolve('out/main/cli.js'), 'serve', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group: killing it kills its Litestream too, as a machine's death does
    detached: true,
    env: {
      ...process.env,
      LANG: 'C',
      LEADLINE_LEASE_TTL_MS: String(TTL),
      LEADLINE_CLOCK_START: E2E_CLOCK_START,
      LEADLINE_CLOCK_SINCE: process.env.LEADLINE_E2E_HUB_T0
    }
  })
  const p: Proc = { child, out: '' }
  child.stdout!.on('data', (d) => (p.out += d))
  child.stderr!.on('data', (d) => (p.out += d))
  procs.push(p)
  return p
}

async function serving(p: Proc, ms = 60_000): Promise<{ url: string; lease: { epoch: number } }> {
  const end = Date.now() + ms
  for (;;) {
    const l = p.out.split('\n').find((x) => x.startsWith('{') && x.includes('"url"'))
    if (l) return JSON.parse(l)
    if (Date.now() > end || p.child.exitCode !== null) throw new Error(`not serving:\n${p.out.slice(-3000)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

test.beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'leadline-e2e-failover-'))
})
test.afterEach(async ({ browserName: _ }, info) => {
  if (info.status !== info.expectedStatus) {
    cpSync(tmp, resolve('test-results', 'failover-hubs'), { recursive: true })
    for (const p of procs) console.log(`── hub ──\n${p.out.slice(-2000)}`)
  }
  for (const p of procs.splice(0))
    if (p.child.exitCode === null && p.child.signalCode === null) {
      process.kill(-p.child.pid!, 'SIGKILL')
      await new Promise((r) => p.child.once('exit', r))
    }
  rmSync(tmp, { recursive: true, force: true })
})

/** Next lead, dial on the simulated line, a moment of talk, hang up, 同意约访 with a visit and consent, save. */
async function oneSale(page: Page): Promise<string> {
  await page.keyboard.press('Alt+N')
  const name = await page.getByTestId('customer-card').getByLabel('姓名').inputValue()
  await page.keyboard.press('Alt+D')
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  await page.waitForTimeout(1500)
  await page.keyboard.press('Alt+H')
  await expect(page.getByTestId('agent-state')).toHaveText('话后整理', { timeout: 15_000 })
  await pickSuccessWithVisit(page)
  await page.getByLabel(/客户同意将其姓名/).check()
  await page.keyboard.press('Control+Enter')
  await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 15_000 })
  return name
}

test('热备: the primary dies with its disk; the desk on its page follows the lease to the standby, its sale is there, and the operator works on', async ({
  page
}) => {
  test.setTimeout(180_000)
  const replica = `file://${join(tmp, 'replica')}`
  const primary = hub(['--data', join(tmp, 'a'), '--port', String(PRIMARY), '--replicate', replica])
  const p = await serving(primary)
  const standby = hub([
    '--standby',
    '--data',
    join(tmp, 'b'),
    '--port',
    String(STANDBY),
    '--replicate',
    replica,
    '--primary',
    p.url
  ])
  await expect.poll(() => standby.out.includes('"standby":true')).toBe(true)

  // the operator on the primary's page
  await page.goto(p.url)
  await page.getByLabel('用户名').fill('op1')
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await expect(page.getByTestId('agent-state')).toHaveText('就绪', { timeout: 15_000 })
  // the seat knows the centre's hubs (the standby announced itself)
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('leadline.hubs') ?? '[]').length), {
      timeout: 25_000
    })
    .toBe(2)
  /** The desk's outcomes in the seat's journal of writes (kept until the hub says its replica has them). */
  const journaled = () =>
    page.evaluate(
      () =>
        Object.keys(localStorage)
          .filter((k) => k.startsWith('leadline.journal.'))
          .flatMap((k) => JSON.parse(localStorage.getItem(k) ?? '[]') as { method: string }[])
          .filter((e) => e.method === 'desk.outcome').length
    )
  // a sale saved and replicated: the journal lets it go
  const first = await oneSale(page)
  await expect.poll(journaled, { timeout: 15_000 }).toBe(0)
  // the primary's Litestream stalls (the replica folder's disk hangs …): the next sale is acknowledged, not replicated
  const litestream = spawnSync('pgrep', ['-g', String(primary.child.pid), 'litestream'], {
    encoding: 'utf8'
  }).stdout.trim()
  expect(litestream).toMatch(/^\d+$/)
  process.kill(Number(litestream), 'SIGSTOP')
  const second = await oneSale(page)
  // and a complaint about that call, from the desk: acknowledged, not replicated either
  await page.getByTestId('desk-complaint').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('类别').click()
  await page.getByTitle('服务态度').click()
  await dialog.getByLabel('投诉内容').fill('客户对来电时间不满')
  await dialog.getByRole('button', { name: '登记投诉' }).click()
  await expect(page.getByText(/已登记投诉 #\d+/)).toBeVisible()
  await page.waitForTimeout(1500)
  expect(await journaled()).toBe(1)

  // the primary's machine dies with its disk
  process.kill(-primary.child.pid!, 'SIGKILL')
  rmSync(join(tmp, 'a'), { recursive: true, force: true })
  const s = await serving(standby)
  expect(s.lease.epoch).toBe(2)
  // the desk says the connection is lost, finds the standby by itself (same page, same login) and works on
  const lost = page.getByText('与服务器的连接已断开，正在重连…')
  await expect(lost).toBeVisible({ timeout: 15_000 })
  await expect(lost).toBeHidden({ timeout: 30_000 })
  await expect(page.getByTestId('agent-state')).toHaveText('就绪', { timeout: 30_000 })
  // the sale was sent again and kept; the complaint was too, but its call was lost with the old hub: the
  // new primary refuses it, and the operator is told to register it again
  await expect(page.getByTestId('resend-refused')).toContainText('切换服务器后，有 1 项已保存的操作未能重做', {
    timeout: 15_000
  })
  const third = await oneSale(page)
  await page.screenshot({ path: 'test-results/failover-desk.png', fullPage: true })

  // the three sales are in the new primary's database, once each: the second only because the seat sent it
  // again (its call was lost with the old hub: kept without it, as the lead's history says)
  const db = new Database(join(tmp, 'b', 'leadline.db'), { readonly: true })
  const rows = db
    .prepare(
      `SELECT l.name, count(*) AS n FROM outcomes o JOIN leads l ON l.id = o.lead_id JOIN users u ON u.id = o.operator_id
       WHERE u.username = 'op1' AND o.success = 1 GROUP BY l.name`
    )
    .all() as { name: string; n: number }[]
  db.close()
  expect(rows).toEqual(
    expect.arrayContaining([
      { name: first, n: 1 },
      { name: second, n: 1 },
      { name: third, n: 1 }
    ])
  )
  const db2 = new Database(join(tmp, 'b', 'leadline.db'), { readonly: true })
  const afterFailover = db2
    .prepare(
      `SELECT l.name FROM lead_events e JOIN leads l ON l.id = e.lead_id WHERE e.kind = 'outcome_after_failover'`
    )
    .pluck()
    .all()
  db2.close()
  expect(afterFailover).toEqual([second])
  // and the journal let it go once the new primary's replica had it
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            Object.keys(localStorage)
              .filter((k) => k.startsWith('leadline.journal.'))
              .flatMap((k) => JSON.parse(localStorage.getItem(k) ?? '[]') as unknown[]).length
        ),
      { timeout: 15_000 }
    )
    .toBe(0)
  // recordings on the hubs' own disks: the new primary says it lacks the first call's (the second's call was never replicated)
  const admin = await HubClient.connect(`${s.url.replace(/^http/, 'ws')}/api/ws`)
  expect((await admin.call('auth.login', { username: 'admin', password: DEMO_PASSWORD })).ok).toBe(true)
  await expect
    .poll(async () => {
      const r = await admin.call('system.replication', {})
      return r.ok ? (r.value as { recordingsMissing: number | null }).recordingsMissing : null
    })
    .toBe(1)
  admin.close()
})
