import { decodedSeconds, hubAs, loginUi, meanVolume } from './support'
import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { E2E_PORT } from '../../playwright.config'

test('an operator calls on the simulated line; the call is recorded in stereo and stored with its checksum', async ({
  page
}) => {
  test.setTimeout(90_000)
  await loginUi(page, 'op3')
  await page.getByRole('menuitem', { name: '拨号工作台' }).click()
  await expect(page.getByText('模拟线路', { exact: true })).toBeVisible()
  await page.getByLabel('电话号码').fill('13877110001')
  await page.getByRole('button', { name: /呼\s*叫/ }).click()
  await expect(page.getByTestId('call-state')).toContainText('通话中', { timeout: 10_000 })
  await expect(page.getByTestId('call-state')).toContainText('录音中')
  await page.waitForTimeout(6000)
  await page.getByRole('button', { name: /挂\s*断/ }).click()
  await expect(page.getByTestId('last-recording')).toBeVisible({ timeout: 15_000 })
  // an operator sees that the recording is saved, not its checksum
  await expect(page.getByTestId('last-recording')).toContainText('已保存')
  await expect(page.getByTestId('last-recording')).not.toContainText('SHA-256')

  // QA finds it, fetches it over HTTP, and checks what is in it.
  const qa = await hubAs('qa')
  try {
    const list = await qa.call('recordings.list', { limit: 5 })
    if (!list.ok) throw new Error(list.error.message)
    const rec = (
      list.value as {
        id: number
        operatorName: string
        line: string
        state: string
        durationMs: number
        sha256: string
        bytes: number
      }[]
    ).find((r) => r.operatorName === '黄丽')!
    expect(rec).toMatchObject({ line: 'simulated', state: 'done' })
    expect(rec.durationMs).toBeGreaterThan(5500)
    const media = await qa.call('recordings.media', { id: rec.id })
    if (!media.ok) throw new Error(media.error.message)
    const res = await fetch(`http://127.0.0.1:${E2E_PORT}${(media.value as { path: string }).path}`)
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.length).toBe(rec.bytes)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(rec.sha256)
    const file = join(mkdtempSync(join(tmpdir(), 'leadline-rec-')), 'call.webm')
    writeFileSync(file, bytes)
    const probe = execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_name,channels', '-of', 'json', file],
      { encoding: 'utf8' }
    )
    expect(JSON.parse(probe).streams[0]).toMatchObject({ codec_name: 'opus', channels: 2 })
    // about as long as the call: decode it whole (MediaRecorder's WebM has no duration header)
    const seconds = decodedSeconds(file)
    expect(seconds).toBeGreaterThan(rec.durationMs / 1000 - 1.5)
    expect(seconds).toBeLessThan(rec.durationMs / 1000 + 1.5)
    // the operator (the fake microphone) on the left, the simulated customer's voice on the right
    expect(meanVolume(file, 'pan=mono|c0=c0')).toBeGreaterThan(-60)
    expect(meanVolume(file, 'pan=mono|c0=c1')).toBeGreaterThan(-60)
    // and they are two different signals, not one copied to both sides
    expect(meanVolume(file, 'pan=mono|c0=c0-c1')).toBeGreaterThan(-60)
  } finally {
    qa.close()
  }

  // QA's 录音库 at 1366×768: a row's checkbox has a column of its own, left of the call's time, and selects it
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.evaluate(() => localStorage.clear())
  await loginUi(page, 'qa')
  await page.getByRole('menuitem', { name: '录音库' }).click()
  const row = page.getByTestId('library').locator('.ant-table-row').filter({ hasText: '黄丽' }).first()
  const time = await row.getByText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/).boundingBox()
  const box = await row.locator('.ant-checkbox').boundingBox()
  // (they overlapped: the selection column had no width, so the time began where the checkbox ended)
  expect(box!.x + box!.width + 8).toBeLessThanOrEqual(time!.x)
  await expect(page.getByTestId('library').locator('.ant-table-thead .ant-checkbox')).toBeVisible()
  await row.locator('.ant-checkbox').click()
  await expect(page.getByRole('button', { name: /导出原格式/ })).toBeEnabled()
})

test('the page dies mid-call: the recording is kept up to the last chunk, marked interrupted, and plays', async ({
  browser
}) => {
  test.setTimeout(90_000)
  const context = await browser.newContext()
  const page = await context.newPage()
  await loginUi(page, 'op2')
  await page.getByRole('menuitem', { name: '拨号工作台' }).click()
  await page.getByLabel('电话号码').fill('13877110002')
  await page.getByRole('button', { name: /呼\s*叫/ }).click()
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 10_000 })
  await page.waitForTimeout(5000)
  await context.close() // the window is gone without hanging up

  const qa = await hubAs('qa')
  try {
    type Rec = {
      id: number
      operatorName: string
      state: string
      durationMs: number
      sha256: string | null
      bytes: number
    }
    let rec: Rec | undefined
    await expect
      .poll(
        async () => {
          const list = await qa.call('recordings.list', { limit: 10 })
          rec = list.ok ? (list.value as Rec[]).find((r) => r.operatorName === '陈强') : undefined
          return rec?.state
        },
        { timeout: 30_000 }
      )
      .toBe('interrupted')
    expect(rec!.bytes).toBeGreaterThan(0)
    const media = await qa.call('recordings.media', { id: rec!.id })
    if (!media.ok) throw new Error(media.error.message)
    const bytes = Buffer.from(
      await (await fetch(`http://127.0.0.1:${E2E_PORT}${(media.value as { path: string }).path}`)).arrayBuffer()
    )
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(rec!.sha256)
    const file = join(mkdtempSync(join(tmpdir(), 'leadline-rec-')), 'cut.webm')
    writeFileSync(file, bytes)
    // about the time the call ran before the window went, less at most the chunk in flight
    expect(decodedSeconds(file)).toBeGreaterThan(3)
    expect(meanVolume(file, 'pan=mono|c0=c1')).toBeGreaterThan(-60)
  } finally {
    qa.close()
  }
})

test('audio settings: the microphones are listed and the level meter moves with the microphone', async ({ page }) => {
  await loginUi(page, 'op1')
  await page.getByRole('menuitem', { name: '个人设置' }).click()
  await page.getByRole('button', { name: '测试麦克风' }).click()
  // Chromium's fake microphone beeps: the meter rises above silence within a few seconds
  await expect
    .poll(async () => Number(await page.getByTestId('mic-level').getAttribute('data-peak')), { timeout: 15_000 })
    .toBeGreaterThan(5)
  await page.getByRole('combobox', { name: '麦克风' }).click()
  await expect(
    page
      .locator('.ant-select-item-option')
      .filter({ hasText: /Fake|fake|默认|Default/ })
      .first()
  ).toBeVisible()
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: '停止测试' }).click()
  await expect(page.getByTestId('mic-level')).toHaveCount(0)
})
