import { expect, test, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { E2E_CLOCK_START } from '../../playwright.config'
import { startObjectStore, type ObjectStore } from '../helpers/object-store'
import { HubClient } from '../helpers/ws-client'
import { DEMO_PASSWORD, playerSeconds } from './support'

/**
 * Recordings in object storage, as an administrator sets it up and QA plays a call from it: a hub
 * of its own (its recordings leave its disk), a real Ceph RADOS Gateway as the store.
 */
const PORT = Number(process.env.LEADLINE_E2E_STORAGE_PORT ?? 7395)
const BASE = `http://127.0.0.1:${PORT}`

let s3: ObjectStore | undefined
let hub: { child: ChildProcess; data: string; log: () => string } | undefined

test.beforeAll(async () => {
  test.setTimeout(120_000)
  s3 = await startObjectStore()
  await s3.bucket('recordings')
  const data = mkdtempSync(join(tmpdir(), 'leadline-storage-'))
  const child = spawn(process.execPath, [resolve('out/main/cli.js'), 'serve', '--data', data, '--port', String(PORT)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'C', LEADLINE_CLOCK_START: E2E_CLOCK_START }
  })
  let log = ''
  child.stdout!.on('data', (d) => (log += d))
  child.stderr!.on('data', (d) => (log += d))
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(BASE).then(
        (r) => r.ok,
        () => false
      )
    )
      break
    await new Promise((r) => setTimeout(r, 100))
  }
  hub = { child, data, log: () => log }
})

test.afterEach(async ({ browserName: _ }, info) => {
  // a failure keeps what explains it: the hub's log and data folder, the gateway's logs
  if (info.status === info.expectedStatus || !hub) return
  const dir = resolve('test-results', 'storage-hub')
  cpSync(hub.data, dir, { recursive: true })
  s3?.keepLogs('e2e')
  console.log(`── the storage hub's log ──\n${hub.log().split('\n').slice(-40).join('\n')}`)
})

test.afterAll(async () => {
  if (hub?.child.exitCode === null) {
    hub.child.kill('SIGTERM')
    await new Promise((r) => hub!.child.once('exit', r))
  }
  if (hub) rmSync(hub.data, { recursive: true, force: true })
  s3?.stop()
})

async function login(page: Page, username: string) {
  await page.goto(BASE)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: /登\s*录/ }).click()
}

test('录音存储: the administrator puts recordings in a Ceph bucket from the settings page; a call leaves the hub’s disk and QA plays and seeks it from the bucket', async ({
  browser
}) => {
  test.setTimeout(180_000)
  const store = s3!
  // the administrator: 系统设置 → 录音存储, a wrong secret refused with the reason, the right one saved and checked
  const adminCtx = await browser.newContext()
  const admin = await adminCtx.newPage()
  await login(admin, 'admin')
  await admin.getByRole('menuitem', { name: '系统设置' }).click()
  await admin.getByRole('tab', { name: '录音存储' }).click()
  const section = admin.getByTestId('storage-section')
  await expect(section.getByTestId('storage-status')).toContainText('本机文件夹')
  await section.getByText('对象存储（S3 兼容）').click()
  await section.getByTestId('storage-endpoint').fill(store.endpoint)
  await section.getByTestId('storage-bucket').fill('recordings')
  await section.getByTestId('storage-access-key').fill(store.accessKey)
  await section.getByTestId('storage-secret-key').fill('wrong-secret')
  await section.getByTestId('storage-grace').fill('0')
  await section.getByTestId('storage-save').click()
  await expect(section.getByTestId('storage-set-error')).toContainText('对象存储检查未通过（存储桶）')
  await expect(section.getByTestId('storage-status')).toContainText('本机文件夹')
  await section.getByTestId('storage-secret-key').fill(store.secretKey)
  await section.getByTestId('storage-save').click()
  await expect(admin.getByText('录音存储已保存')).toBeVisible()
  await expect(section.getByTestId('storage-status')).toContainText(`${store.endpoint} · recordings`)
  await section.getByTestId('storage-check').click()
  const steps = section.getByTestId('storage-check-result')
  await expect(steps.getByText('通过')).toHaveCount(7)
  await admin.screenshot({ path: 'test-results/storage-settings.png', fullPage: true })

  // an operator's call on the simulated line, recorded
  const opCtx = await browser.newContext()
  const op = await opCtx.newPage()
  await login(op, 'op3')
  await op.getByRole('menuitem', { name: '拨号工作台' }).click()
  await op.getByLabel('电话号码').fill('13877110001')
  await op.getByRole('button', { name: /呼\s*叫/ }).click()
  await expect(op.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  await op.waitForTimeout(12_000)
  await op.getByRole('button', { name: /挂\s*断/ }).click()
  await expect(op.getByTestId('last-recording')).toContainText('已保存', { timeout: 15_000 })
  await opCtx.close()

  // the archive job uploads it (checked) and, the grace period being 0, removes the hub's copy
  const c = await HubClient.connect(`ws://127.0.0.1:${PORT}/api/ws`)
  expect((await c.call('auth.login', { username: 'admin', password: DEMO_PASSWORD })).ok).toBe(true)
  await expect
    .poll(
      async () => {
        const r = await c.call('storage.status', {})
        return r.ok ? (r.value as { localOnly: number; stored: number; cachedBytes: number }) : null
      },
      { timeout: 30_000 }
    )
    .toMatchObject({ localOnly: 0, stored: 1, cachedBytes: 0 })
  const list = await c.call('recordings.list', { limit: 5 })
  c.close()
  if (!list.ok) throw new Error(list.error.message)
  const rec = (list.value as { id: number; sha256: string; durationMs: number }[])[0]
  const file = readdirSync(join(hub!.data, 'recordings'), { recursive: true }).map(String)
  expect(file.filter((f) => f.endsWith('.webm'))).toEqual([])
  // in the bucket, the same bytes
  const keys = await store.keys('recordings', '')
  expect(keys).toHaveLength(1)
  const parts: Buffer[] = []
  for await (const b of await store.client.getObject('recordings', keys[0])) parts.push(b as Buffer)
  expect(createHash('sha256').update(Buffer.concat(parts)).digest('hex')).toBe(rec.sha256)

  // the wallboard: nothing waits
  const supCtx = await browser.newContext()
  const sup = await supCtx.newPage()
  await login(sup, 'supervisor')
  await sup.getByRole('menuitem', { name: '实时看板' }).click()
  await expect(sup.getByTestId('recordings-archive')).toContainText('已全部归档')
  await supCtx.close()

  // QA opens it from 录音库: the waveform, play, and seeks by keyboard — every byte from the bucket through the hub
  const qaCtx = await browser.newContext()
  const qa = await qaCtx.newPage()
  const media: number[] = []
  qa.on('response', (r) => {
    if (r.url().includes('/api/media/')) media.push(r.status())
  })
  await login(qa, 'qa')
  await qa.getByRole('menuitem', { name: '录音库' }).click()
  await qa.getByTestId('library').locator('.ant-table-row').first().dblclick()
  await expect(qa.getByTestId('review-view')).toBeVisible()
  await qa.getByTestId('play').click()
  await expect.poll(() => playerSeconds(qa), { timeout: 15_000 }).toBeGreaterThanOrEqual(1)
  await qa.keyboard.press(' ')
  await expect(qa.getByTestId('play')).toContainText('播放')
  const t1 = await playerSeconds(qa)
  await qa.keyboard.press('ArrowRight')
  await expect.poll(() => playerSeconds(qa)).toBe(Math.min(t1 + 5, Math.floor(rec.durationMs / 1000)))
  await qa.getByTestId('play').click()
  await expect.poll(() => playerSeconds(qa), { timeout: 10_000 }).toBeGreaterThan(t1 + 5)
  expect(media.length).toBeGreaterThan(0)
  expect(media.every((s) => s === 200 || s === 206)).toBe(true)
  expect(existsSync(join(hub!.data, 'cache'))).toBe(false) // played from the store, not a copy made for it
  await qa.screenshot({ path: 'test-results/storage-playback.png', fullPage: true })
  await Promise.all([adminCtx.close(), qaCtx.close()])
})
