import { hubAs, lastRecordingFile, loginUi, meanVolume, newOperator } from './support'
import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { startBaresip, startKamailio, startRtpengine, waitForLog, type Kamailio, type Server } from '../helpers/kamailio'
import { E2E_PORT } from '../../playwright.config'

const SIP_PORT = Number(process.env.LEADLINE_E2E_SIP_PORT ?? 8188)
let kamailio: Kamailio
let rtpengine: Server


/** The customer: a second sip.js agent in the same browser (tests/telephony/customer), answering with a 440 Hz tone. */
async function openCustomer(page: Page, user: string): Promise<void> {
  // Served from a loopback origin (the hub's, intercepted): Chromium blocks a public origin from
  // reaching the SIP server on 127.0.0.1 (local network access checks).
  const base = `http://127.0.0.1:${E2E_PORT}/__test_customer__/`
  await page.route(`${base}**`, async (route) => {
    const path = '/' + new URL(route.request().url()).pathname.slice('/__test_customer__/'.length)
    const file = path.startsWith('/sipjs/') ? resolve('node_modules/sip.js/lib', path.slice('/sipjs/'.length)) : resolve('tests/telephony/customer', path.slice(1) || 'index.html')
    const type = extname(file) === '.js' ? 'text/javascript' : 'text/html'
    await route.fulfill({ body: readFileSync(file), contentType: type })
  })
  await page.goto(`${base}index.html?user=${user}&ws=ws://127.0.0.1:${SIP_PORT}&tone=440`)
  await expect.poll(() => page.evaluate(() => (window as unknown as { customer?: { registered: boolean } }).customer?.registered), { timeout: 10_000 }).toBe(true)
}

// rtpengine bridges the browser's WebRTC (ICE, DTLS-SRTP) to baresip's plain RTP; browser↔browser calls pass Kamailio alone.
test.beforeAll(async () => {
  rtpengine = await startRtpengine()
  kamailio = await startKamailio(SIP_PORT, { rtpengine: true })
})
test.afterAll(async () => {
  await kamailio?.stop()
  await rtpengine?.stop()
})

/** Gives an operator a SIP account on the test bed. */
async function giveSipAccount(username: string, sipUser: string, displayName: string): Promise<void> {
  const admin = await hubAs('admin')
  const users = await admin.call('users.list', { role: 'operator' })
  const u = (users.ok ? (users.value as { id: number; username: string }[]) : []).find((x) => x.username === username)!
  const set = await admin.call('sip.setAccount', { userId: u.id, wsUrl: `ws://127.0.0.1:${SIP_PORT}`, domain: '127.0.0.1', sipUser, displayName, iceServers: [], outsidePrefix: '', password: 'not-checked-by-the-test-bed' })
  admin.close()
  expect(set.ok).toBe(true)
}

async function expectAudioIn(page: Page): Promise<void> {
  await expect(page.getByTestId('call-quality')).toBeVisible({ timeout: 10_000 })
  await expect.poll(async () => Number(/已收 (\d+) KB/.exec((await page.getByTestId('call-quality').textContent()) ?? '')?.[1] ?? 0), { timeout: 10_000 }).toBeGreaterThan(0)
}

test('an operator calls a customer through Kamailio; audio flows both ways and the recording has each side on its own channel', async ({ browser }) => {
  test.setTimeout(120_000)
  // An administrator gives op1 a SIP account.
  const admin = await hubAs('admin')
  const users = await admin.call('users.list', { role: 'operator' })
  const op1 = (users.ok ? (users.value as { id: number; username: string }[]) : []).find((u) => u.username === 'op1')!
  const set = await admin.call('sip.setAccount', { userId: op1.id, wsUrl: `ws://127.0.0.1:${SIP_PORT}`, domain: '127.0.0.1', sipUser: '1001', displayName: '王芳', iceServers: [], outsidePrefix: '', password: 'not-checked-by-the-test-bed' })
  expect(set.ok).toBe(true)

  const customer = await (await browser.newContext()).newPage()
  await openCustomer(customer, '1002')

  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await loginUi(page, 'op1')
  await page.getByRole('menuitem', { name: '拨号工作台' }).click()
  await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
  await page.getByLabel('电话号码').fill('1002')
  await page.getByRole('button', { name: /呼\s*叫/ }).click()
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  await expect.poll(() => customer.evaluate(() => (window as unknown as { customer: { state: string } }).customer.state)).toBe('Established')
  // getStats: audio bytes arrive from the customer (not just a session state)
  await expect(page.getByTestId('call-quality')).toBeVisible({ timeout: 10_000 })
  await expect.poll(async () => Number(/已收 (\d+) KB/.exec((await page.getByTestId('call-quality').textContent()) ?? '')?.[1] ?? 0), { timeout: 10_000 }).toBeGreaterThan(0)
  await page.waitForTimeout(3000)
  await page.getByRole('button', { name: /挂\s*断/ }).click()
  await expect(page.getByTestId('last-recording')).toBeVisible({ timeout: 20_000 })

  const file = await lastRecordingFile('王芳', 'sip')
  // The customer's 440 Hz tone came over SIP/WebRTC into the right channel.
  const right440 = meanVolume(file, 'pan=mono|c0=c1,bandpass=f=440:width_type=h:w=80')
  const left440 = meanVolume(file, 'pan=mono|c0=c0,bandpass=f=440:width_type=h:w=80')
  expect(right440).toBeGreaterThan(-40)
  expect(right440).toBeGreaterThan(left440 + 10)
  // and the operator's microphone (Chromium's fake device) is on the left
  expect(meanVolume(file, 'pan=mono|c0=c0')).toBeGreaterThan(-60)
  admin.close()

  await ctx.close()
})

test('the SIP server goes away and comes back: the line re-registers by itself', async ({ browser }) => {
  test.setTimeout(120_000)
  const admin = await hubAs('admin')
  const users = await admin.call('users.list', { role: 'operator' })
  const op3 = (users.ok ? (users.value as { id: number; username: string }[]) : []).find((u) => u.username === 'op3')!
  expect((await admin.call('sip.setAccount', { userId: op3.id, wsUrl: `ws://127.0.0.1:${SIP_PORT}`, domain: '127.0.0.1', sipUser: '1003', displayName: '黄丽', iceServers: [], outsidePrefix: '', password: 'x' })).ok).toBe(true)
  admin.close()

  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await loginUi(page, 'op3')
  await page.getByRole('menuitem', { name: '拨号工作台' }).click()
  const line = page.getByTestId('line-state')
  await expect(line).toHaveText('已注册', { timeout: 15_000 })

  await kamailio.stop()
  await expect(line).toContainText('正在注册', { timeout: 15_000 })
  kamailio = await startKamailio(SIP_PORT, { rtpengine: true })
  await expect(line).toHaveText('已注册', { timeout: 45_000 })
  await ctx.close()
})

test('the operator calls a plain SIP phone (baresip) through rtpengine: audio flows and its tone is on the right channel', async ({ browser }) => {
  test.setTimeout(120_000)
  const op = await newOperator('sipbs')
  await giveSipAccount(op.username, '2101', op.displayName)
  const phone = await startBaresip({ user: '2001', sipListenPort: 5090, toneHz: 660 })
  const ctx = await browser.newContext()
  try {
    const page = await ctx.newPage()
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
    await page.getByLabel('电话号码').fill('2001')
    await page.getByRole('button', { name: /呼\s*叫/ }).click()
    await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
    // RTP from baresip reaches the browser (getStats), not just a session state
    await expectAudioIn(page)
    await waitForLog(phone, /Call established/i)
    await page.waitForTimeout(3000)
    await page.getByRole('button', { name: /挂\s*断/ }).click()
    await expect(page.getByTestId('last-recording')).toBeVisible({ timeout: 20_000 })
    const file = await lastRecordingFile(op.displayName, 'sip')
    const right = meanVolume(file, 'pan=mono|c0=c1,bandpass=f=660:width_type=h:w=80')
    expect(right).toBeGreaterThan(-40)
    expect(right).toBeGreaterThan(meanVolume(file, 'pan=mono|c0=c0,bandpass=f=660:width_type=h:w=80') + 10)
    // baresip received the browser's audio: its RTP statistics at hang-up count the packets
    await waitForLog(phone, /packets:\s+\d+\s+\d+/)
    const [, sent, received] = /packets:\s+(\d+)\s+(\d+)/.exec(phone.log())!
    expect(Number(sent)).toBeGreaterThan(50)
    expect(Number(received)).toBeGreaterThan(50)
  } finally {
    await ctx.close()
    await phone.stop()
  }
})

test('a customer on a plain SIP phone calls in: the desk shows the call, the operator answers, and it is recorded', async ({ browser }) => {
  test.setTimeout(120_000)
  const op = await newOperator('sipin')
  await giveSipAccount(op.username, '2102', op.displayName)
  const ctx = await browser.newContext()
  let caller: Server | null = null
  try {
    const page = await ctx.newPage()
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
    caller = await startBaresip({ user: '2002', sipListenPort: 5092, toneHz: 880, dial: 'sip:2102@127.0.0.1:5070' })
    try {
      await expect(page.getByTestId('incoming-call')).toContainText('2002', { timeout: 15_000 })
    } catch (err) {
      console.log('CALLER LOG\n' + caller.log().slice(-4000) + '\nKAMAILIO LOG\n' + kamailio.log().slice(-6000))
      throw err
    }
    await page.getByRole('button', { name: /接听/ }).click()
    await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
    await expectAudioIn(page)
    await page.waitForTimeout(3000)
    await page.getByRole('button', { name: /挂\s*断/ }).click()
    await expect(page.getByTestId('last-recording')).toBeVisible({ timeout: 20_000 })
    const file = await lastRecordingFile(op.displayName, 'sip')
    const right = meanVolume(file, 'pan=mono|c0=c1,bandpass=f=880:width_type=h:w=80')
    expect(right).toBeGreaterThan(-40)
    expect(right).toBeGreaterThan(meanVolume(file, 'pan=mono|c0=c0,bandpass=f=880:width_type=h:w=80') + 10)
  } finally {
    await ctx.close()
    await caller?.stop()
  }
})

test('the desk works a queue lead over the SIP line: the customer registered under the lead’s number answers, and the outcome is saved with the call', async ({ browser }) => {
  test.setTimeout(120_000)
  const op = await newOperator('sipdk')
  await giveSipAccount(op.username, '2103', op.displayName)
  const ctx = await browser.newContext()
  const custCtx = await browser.newContext()
  try {
    const page = await ctx.newPage()
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
    await page.getByRole('button', { name: /下一条/ }).first().click()
    const name = await page.getByTestId('customer-card').getByLabel('姓名').inputValue()
    // The desk shows the number masked; the supervisor looks the full one up to put the customer on it.
    await expect(page.getByTestId('lead-phone')).toContainText('****')
    const sup = await hubAs('supervisor')
    const found = await sup.call('leads.search', { q: name, limit: 5 })
    sup.close()
    const lead = (found.ok ? (found.value as { rows: { id: number; phone: string; status: string }[] }).rows : []).find((r) => r.status === 'in_queue')!
    const customer = await custCtx.newPage()
    await openCustomer(customer, lead.phone)
    await page.getByRole('button', { name: /拨打/ }).click()
    await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
    await expect.poll(() => customer.evaluate(() => (window as unknown as { customer: { state: string } }).customer.state)).toBe('Established')
    await expectAudioIn(page)
    // the full number never shows on the operator's screen
    expect(await page.locator('body').innerText()).not.toContain(lead.phone)
    await page.waitForTimeout(2000)
    await page.getByRole('button', { name: /挂断/ }).click()
    await page.getByTestId('outcome-form').locator('label').filter({ hasText: /^4?无人接听$/ }).click()
    await page.getByTestId('save-outcome').click()
    await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
    const sup2 = await hubAs('supervisor')
    const card = await sup2.call('desk.card', { leadId: lead.id })
    sup2.close()
    const calls = (card.ok ? (card.value as { calls: { outcome: string; recordingId: number | null; simulated: boolean }[] }).calls : [])
    expect(calls[0]).toMatchObject({ outcome: '无人接听', simulated: false })
    expect(calls[0].recordingId).not.toBeNull()
  } finally {
    await ctx.close()
    await custCtx.close()
  }
})
