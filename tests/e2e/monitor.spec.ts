import { chromium, expect, test, type Browser, type Page } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import config from '../../playwright.config'
import { startKamailio, type Kamailio } from '../helpers/kamailio'
import { writeToneWav } from '../telephony/tones.mjs'
import { hubAs, lastRecordingFile, loginUi, meanVolume, must, newOperator } from './support'
import { giveSipAccount, openCustomer, pbxLink } from './testbed'

/**
 * 监听、耳语、强插 end to end, in Chromium against the real hub and a real SIP server: the customer
 * (a sip.js agent) sends 440 Hz, the operator's microphone 500 Hz, the supervisor's 1250 Hz (not 880:
 * the octave of 440 comes back to the customer as a faint harmonic whatever the supervisor does); what each
 * page plays aloud is analysed inside it (tests/e2e/ear-probe.js).
 */
const WS_PORT = 8190
const UDP_PORT = 5072
const PROBE = resolve('tests/e2e/ear-probe.js')
/** The supervisor's pitch. */
const SUP = 1250

let kamailio: Kamailio
let tones: string
const browsers: Browser[] = []

test.beforeAll(async () => {
  kamailio = await startKamailio(WS_PORT, { udpPort: UDP_PORT, hubDial: await pbxLink() })
  tones = mkdtempSync(join(tmpdir(), 'leadline-tones-'))
})
test.afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()))
  await kamailio?.stop()
  rmSync(tones, { recursive: true, force: true })
})

/** A browser whose fake microphone plays a tone (each seat its own pitch). */
async function seatBrowser(hz: number): Promise<Browser> {
  const file = writeToneWav(join(tones, `${hz}.wav`), hz, { onMs: 400, offMs: 200, seconds: 20 })
  const base = config.use!.launchOptions!
  const b = await chromium.launch({
    ...base,
    args: [...(base.args ?? []), `--use-file-for-fake-audio-capture=${file}`]
  })
  browsers.push(b)
  return b
}

async function seat(b: Browser): Promise<Page> {
  const ctx = await b.newContext({ baseURL: config.use!.baseURL, locale: 'zh-CN', timezoneId: config.use!.timezoneId })
  const page = await ctx.newPage()
  await page.addInitScript({ path: PROBE })
  return page
}

type Level = { left: number; right: number; any: number; streams: number }
const level = (page: Page, hz: number): Promise<Level> =>
  page.evaluate((f) => (window as unknown as { __ear: { level(hz: number): Promise<Level> } }).__ear.level(f), hz)
type Sides = { leftMinusRight: number; frames: number; left: number; right: number }
const sides = (page: Page, hz: number): Promise<Sides> =>
  page.evaluate((f) => (window as unknown as { __ear: { sides(hz: number): Promise<Sides> } }).__ear.sides(f), hz)

test('a supervisor listens, whispers and barges in on an operator’s call from the wallboard; each hears what they should; the call’s end ends it; operators cannot monitor', async ({
  browser
}) => {
  test.setTimeout(180_000)
  const op = await newOperator('mon')
  await giveSipAccount(op.username, '2301', op.displayName, WS_PORT)

  const customer = await (await browser.newContext()).newPage()
  await customer.addInitScript({ path: PROBE })
  await openCustomer(customer, '2302', { tone: 440, wsPort: WS_PORT })

  const desk = await seat(await seatBrowser(500))
  await loginUi(desk, op.username, op.password)
  await expect(desk.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
  await desk.getByLabel('电话号码').fill('2302')
  await desk.getByRole('button', { name: /呼\s*叫/ }).click()
  await expect(desk.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })

  // an operator cannot monitor anyone (the WebSocket transport; the contract test covers IPC too)
  const asOperator = await hubAs('op1')
  const refused = await asOperator.call('monitor.start', { operatorId: 1, mode: 'listen' })
  asOperator.close()
  expect(refused.ok).toBe(false)
  if (!refused.ok) expect(refused.error.code).toBe('FORBIDDEN')

  const sup = await seat(await seatBrowser(SUP))
  await loginUi(sup, 'supervisor')
  await sup.getByRole('menuitem', { name: '实时看板' }).click()
  const row = sup.getByTestId('agent-board').getByRole('row').filter({ hasText: op.displayName })
  await expect(row.getByTestId('agent-state')).toHaveText('通话中', { timeout: 15_000 })
  await row.getByRole('button', { name: /监听/ }).click()
  const panel = sup.getByTestId('monitor-panel')
  await expect(panel.getByTestId('monitor-phase')).toHaveText('已接通', { timeout: 15_000 })
  await sup.waitForTimeout(1500)

  // 监听: the supervisor hears the operator (500 Hz) on the left and the customer (440 Hz) on the right
  const supHears500 = await level(sup, 500)
  const supHears440 = await level(sup, 440)
  expect(supHears500.left).toBeGreaterThan(-60)
  expect(supHears440.right).toBeGreaterThan(-60)
  // Which side each tone is on, frame by frame while it sounds (the median, not the loudest moment: on
  // a loaded machine the customer's jitter buffer stretches its audio now and then, and such a frame
  // smears 440 Hz towards 500; mixed-up or merged channels move every frame).
  const side500 = await sides(sup, 500)
  const side440 = await sides(sup, 440)
  expect(side500.frames).toBeGreaterThanOrEqual(10)
  expect(side500.leftMinusRight).toBeGreaterThan(10)
  // (the operator's side may carry some of the customer's tone: the seat's echo canceller, fed two
  // pure tones by the fake devices, lets part of the far end through — the recording's left channel
  // has it too; the operator's own tone shows the sides apart)
  expect(side440.frames).toBeGreaterThanOrEqual(10)
  expect(side440.leftMinusRight).toBeLessThan(3)
  // … and nobody hears the supervisor; the desk says nothing (listening is silent by default)
  const listenCustomerSup = await level(customer, SUP)
  const listenDeskSup = await level(desk, SUP)
  await expect(desk.getByTestId('monitored')).toHaveCount(0)

  // 耳语 (key 2): the operator hears the supervisor, the customer does not
  await sup.keyboard.press('2')
  await expect(desk.getByTestId('monitored')).toContainText('耳语')
  await sup.waitForTimeout(1000)
  const whisperDeskSup = await level(desk, SUP)
  const whisperCustomerSup = await level(customer, SUP)

  // 强插 (key 3): both hear the supervisor
  await sup.keyboard.press('3')
  await expect(desk.getByTestId('monitored')).toContainText('加入通话')
  await sup.waitForTimeout(1000)
  const bargeCustomerSup = await level(customer, SUP)
  const bargeDeskSup = await level(desk, SUP)
  test.info().annotations.push({
    type: 'levels (dB)',
    description: JSON.stringify({
      supHears500,
      supHears440,
      side500,
      side440,
      listenCustomerSup: listenCustomerSup.any,
      listenDeskSup: listenDeskSup.any,
      whisperDeskSup: whisperDeskSup.any,
      whisperCustomerSup: whisperCustomerSup.any,
      bargeCustomerSup: bargeCustomerSup.any,
      bargeDeskSup: bargeDeskSup.any
    })
  })
  expect(bargeCustomerSup.any).toBeGreaterThan(-60)
  expect(bargeDeskSup.any).toBeGreaterThan(-60)
  expect(whisperDeskSup.any).toBeGreaterThan(-60)
  // at least 30 dB below the barge level on the customer's side while whispering, and while listening
  expect(whisperCustomerSup.any).toBeLessThan(bargeCustomerSup.any - 30)
  expect(listenCustomerSup.any).toBeLessThan(bargeCustomerSup.any - 30)
  expect(listenDeskSup.any).toBeLessThan(whisperDeskSup.any - 30)

  // back to listening (key 1): the supervisor is silent again for both
  await sup.keyboard.press('1')
  await expect(desk.getByTestId('monitored')).toHaveCount(0)
  await expect
    .poll(async () => (await level(customer, SUP)).any, { timeout: 10_000 })
    .toBeLessThan(bargeCustomerSup.any - 30)

  // the operator hangs up: the monitoring ends with the call
  await desk.getByRole('button', { name: /挂\s*断/ }).click()
  await expect(panel.getByTestId('monitor-ended')).toHaveText('通话已结束，监听随之结束', { timeout: 10_000 })
  await expect(desk.getByTestId('last-recording')).toBeVisible({ timeout: 20_000 })

  // the customer heard the barge, so it is in the recording, on the operator's side (left)
  const file = await lastRecordingFile(op.displayName, 'sip')
  const leftSup = meanVolume(file, 'pan=mono|c0=c0,bandpass=f=1250:width_type=h:w=60')
  const rightSup = meanVolume(file, 'pan=mono|c0=c1,bandpass=f=1250:width_type=h:w=60')
  expect(leftSup).toBeGreaterThan(-50)
  expect(leftSup).toBeGreaterThan(rightSup + 10)

  // the audit log has the session: its start, the switches and its end with the modes
  const admin = await hubAs('admin')
  const log = await must<{ action: string; details: Record<string, unknown> }[]>(admin, 'audit.list', { limit: 50 })
  admin.close()
  const mine = log.filter((e) => e.action.startsWith('monitor.') && e.details.operator === op.displayName)
  expect(mine.map((e) => e.action).reverse()).toEqual([
    'monitor.start',
    'monitor.mode',
    'monitor.mode',
    'monitor.mode',
    'monitor.end'
  ])
  expect(mine[0].details).toMatchObject({ reason: 'callEnded' })
  expect((mine[0].details.modes as { mode: string }[]).map((m) => m.mode)).toEqual([
    'listen',
    'whisper',
    'barge',
    'listen'
  ])
})

test('the wallboard shows 离线 within 20 s of an operator’s browser being closed, with the time it went, and the state log has it', async ({
  browser
}) => {
  test.setTimeout(90_000)
  const op = await newOperator('gone')
  const seatCtx = await browser.newContext()
  const seatPage = await seatCtx.newPage()
  await loginUi(seatPage, op.username, op.password)
  await expect(seatPage.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })

  const sup = await (await browser.newContext()).newPage()
  await loginUi(sup, 'supervisor')
  await sup.getByRole('menuitem', { name: '实时看板' }).click()
  const row = sup.getByTestId('agent-board').getByRole('row').filter({ hasText: op.displayName })
  await expect(row.getByTestId('agent-state')).toHaveText('就绪', { timeout: 15_000 })

  const closedAt = Date.now()
  await seatCtx.close()
  await expect(row.getByTestId('agent-state')).toHaveText('离线 · 连接中断', { timeout: 20_000 })
  expect(Date.now() - closedAt).toBeLessThan(20_000)
  await expect(row.getByTestId('went-at')).toContainText('断开')

  // the state log: the ready stretch ended when the seat went, and the operator is offline since
  const s = await hubAs('supervisor')
  const board = await must<{ name: string; state: string; reason: string | null; since: string }[]>(s, 'desk.board', {})
  s.close()
  const mine = board.find((b) => b.name === op.displayName)!
  expect(mine).toMatchObject({ state: 'offline', reason: 'disconnected' })
  await expect(row.getByTestId('went-at')).toHaveText(
    `${new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(mine.since))} 断开`
  )
})
