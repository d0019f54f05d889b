import {
  campaignForNewOperator,
  hubAs,
  lastRecordingFile,
  loginUi,
  meanVolume,
  must,
  newOperator,
  hangUpWithSuccess,
  playerSeconds,
  soundOnsetMs
} from './support'
import { expectAudioIn, giveSipAccount, openCustomer, pbxLink, SIP_PORT, testbedPassword } from './testbed'
import { expect, test, type Page } from '@playwright/test'
import type { HubClient } from '../helpers/ws-client'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { Webhook } from 'standardwebhooks'
import { E2E_PORT } from '../../playwright.config'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  KAMAILIO_UDP_PORT,
  startBaresip,
  startKamailio,
  startRtpengine,
  waitForLog,
  type Kamailio,
  type Server
} from '../helpers/kamailio'

let kamailio: Kamailio
let rtpengine: Server

// rtpengine bridges the browser's WebRTC (ICE, DTLS-SRTP) to baresip's plain RTP; browser↔browser calls pass Kamailio alone.
test.beforeAll(async () => {
  rtpengine = await startRtpengine()
  kamailio = await startKamailio(SIP_PORT, { rtpengine: true, hubDial: await pbxLink() })
})
test.afterAll(async () => {
  await kamailio?.stop()
  await rtpengine?.stop()
})

test('an operator calls a customer through Kamailio; audio flows both ways and the recording has each side on its own channel', async ({
  browser
}) => {
  test.setTimeout(120_000)
  // An administrator gives op1 a SIP account.
  const admin = await hubAs('admin')
  const users = await admin.call('users.list', { role: 'operator' })
  const op1 = (users.ok ? (users.value as { id: number; username: string }[]) : []).find((u) => u.username === 'op1')!
  const set = await admin.call('sip.setAccount', {
    userId: op1.id,
    wsUrl: `ws://127.0.0.1:${SIP_PORT}`,
    domain: '127.0.0.1',
    sipUser: '1001',
    displayName: '王芳',
    iceServers: [],
    outsidePrefix: '',
    password: testbedPassword('1001')
  })
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
  await expect
    .poll(() => customer.evaluate(() => (window as unknown as { customer: { state: string } }).customer.state))
    .toBe('Established')
  // getStats: audio bytes arrive from the customer (not just a session state)
  await expect(page.getByTestId('call-quality')).toBeVisible({ timeout: 10_000 })
  await expect
    .poll(
      async () => Number(/已收 (\d+) KB/.exec((await page.getByTestId('call-quality').textContent()) ?? '')?.[1] ?? 0),
      { timeout: 10_000 }
    )
    .toBeGreaterThan(0)
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
  expect(
    (
      await admin.call('sip.setAccount', {
        userId: op3.id,
        wsUrl: `ws://127.0.0.1:${SIP_PORT}`,
        domain: '127.0.0.1',
        sipUser: '1003',
        displayName: '黄丽',
        iceServers: [],
        outsidePrefix: '',
        password: testbedPassword('1003')
      })
    ).ok
  ).toBe(true)
  admin.close()

  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await loginUi(page, 'op3')
  await page.getByRole('menuitem', { name: '拨号工作台' }).click()
  const line = page.getByTestId('line-state')
  await expect(line).toHaveText('已注册', { timeout: 15_000 })

  await kamailio.stop()
  await expect(line).toContainText('正在注册', { timeout: 15_000 })
  // the line's state says why in words, and dialling is refused with what to do (nothing is registered with the hub)
  await expect(line).not.toContainText(/WebSocket|1006|reconnecting/)
  await page.getByLabel('电话号码').fill('13977180000')
  await page.getByLabel('电话号码').press('Enter')
  await expect(page.getByTestId('desk-error')).toContainText('话机线路未连接，不能拨号')
  kamailio = await startKamailio(SIP_PORT, { rtpengine: true, hubDial: await pbxLink() })
  await expect(line).toHaveText('已注册', { timeout: 45_000 })
  await ctx.close()
})

test('the operator calls a plain SIP phone (baresip) through rtpengine: audio flows and its tone is on the right channel', async ({
  browser
}) => {
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

test('a customer on a plain SIP phone calls in: the desk shows the call, the operator answers, and it is recorded', async ({
  browser
}) => {
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

test('the desk works a queue lead over the SIP line: the PBX dials the lead’s number from the desk’s token (the number never reaches the page, the SIP password alone dials no one), the customer answers, and the outcome is saved with the call', async ({
  browser
}) => {
  test.setTimeout(120_000)
  const op = await newOperator('sipdk')
  await giveSipAccount(op.username, '2103', op.displayName)
  const ctx = await browser.newContext()
  const custCtx = await browser.newContext()
  try {
    const page = await ctx.newPage()
    // everything the hub sends this page
    const received: string[] = []
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))))
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
    await page
      .getByRole('button', { name: /下一条/ })
      .first()
      .click()
    const name = await page.getByTestId('customer-card').getByLabel('姓名').inputValue()
    // The desk shows the number masked; the supervisor looks the full one up to put the customer on it.
    await expect(page.getByTestId('lead-phone')).toContainText('****')
    const sup = await hubAs('supervisor')
    const found = await sup.call('leads.search', { q: name, limit: 5 })
    sup.close()
    const lead = (found.ok ? (found.value as { rows: { id: number; phone: string; status: string }[] }).rows : []).find(
      (r) => r.status === 'in_queue'
    )!
    // 外显: the centre's caller numbers; the customer is to see the one the pool picks for them
    const admin = await hubAs('admin')
    const picked = await withPool(admin, lead.phone)
    expect(picked.e164).toMatch(/^\+86(7715123456|2081234567)$/)
    const customer = await custCtx.newPage()
    await openCustomer(customer, lead.phone)
    // the operator's own SIP account in another phone dials the customer directly: the PBX refuses it
    const outside = await startBaresip({
      user: '2103',
      sipListenPort: 5091,
      dial: `sip:${lead.phone}@127.0.0.1:${KAMAILIO_UDP_PORT}`
    })
    try {
      await waitForLog(outside, /403 Dial through LeadLine/, 15_000)
    } finally {
      await outside.stop()
    }
    expect(
      await customer.evaluate(() => (window as unknown as { customer: { state: string } }).customer.state)
    ).not.toBe('Established')
    await page.getByRole('button', { name: /拨打/ }).click()
    await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
    await expect
      .poll(() => customer.evaluate(() => (window as unknown as { customer: { state: string } }).customer.state))
      .toBe('Established')
    await expectAudioIn(page)
    // the full number never shows on the operator's screen, nor reaches the page at all: the desk dialled a token
    expect(await page.locator('body').innerText()).not.toContain(lead.phone)
    expect(received.some((f) => f.includes(lead.phone))).toBe(false)
    expect(received.some((f) => /"dial":"LL[0-9a-f]+"/.test(f))).toBe(true)
    expect(kamailio.log()).toMatch(/dial token LL[0-9a-f]+ from 2103: hub answered 200/)
    // the PBX asserted the picked number to the customer
    expect(
      await customer.evaluate(
        () => (window as unknown as { customer: { assertedIdentity: string | null } }).customer.assertedIdentity
      )
    ).toBe(`<sip:${picked.e164}@127.0.0.1>`)
    await page.waitForTimeout(2000)
    await page.getByRole('button', { name: /挂断/ }).click()
    await page
      .getByTestId('outcome-form')
      .locator('label')
      .filter({ hasText: /^4?无人接听$/ })
      .click()
    await page.getByTestId('save-outcome').click()
    await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
    const sup2 = await hubAs('supervisor')
    const card = await sup2.call('desk.card', { leadId: lead.id })
    sup2.close()
    const calls = card.ok
      ? (card.value as { calls: { outcome: string; recordingId: number | null; simulated: boolean }[] }).calls
      : []
    expect(calls[0]).toMatchObject({ outcome: '无人接听', simulated: false, shownNumber: picked.number })
    expect(calls[0].recordingId).not.toBeNull()
    await poolOff(admin)
  } finally {
    await ctx.close()
    await custCtx.close()
  }
})

test('外显: a plain SIP phone as the customer sees the caller-ID pool’s number of their city as the caller, and the desk keeps it', async ({
  browser
}) => {
  test.setTimeout(120_000)
  const op = await newOperator('sipcid')
  await giveSipAccount(op.username, '2104', op.displayName)
  const admin = await hubAs('admin')
  const pool = Buffer.from(
    '号码,运营商,线路,活动,状态\n0771-5123456,中国电信,GX-1,,启用\n020-81234567,中国电信,GD-1,,启用\n'
  )
  const begun = await must<{ uploadId: string }>(admin, 'uploads.begin', { name: '外显号码.csv', size: pool.length })
  await must(admin, 'uploads.chunk', { uploadId: begun.uploadId, offset: 0, data: pool.toString('base64') })
  await must(admin, 'numbers.import', { uploadId: begun.uploadId })
  const ctx = await browser.newContext()
  let phone: Server | undefined
  try {
    const page = await ctx.newPage()
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
    await page
      .getByRole('button', { name: /下一条/ })
      .first()
      .click()
    const name = await page.getByTestId('customer-card').getByLabel('姓名').inputValue()
    const sup = await hubAs('supervisor')
    const found = await must<{ rows: { id: number; phone: string; status: string }[] }>(sup, 'leads.search', {
      q: name,
      limit: 5
    })
    sup.close()
    const lead = found.rows.find((r) => r.status === 'in_queue')!
    const picked = await withPool(admin, lead.phone)
    // the customer: a plain SIP phone on the lead's number, ringing; its screen says who calls
    phone = await startBaresip({ user: lead.phone, sipListenPort: 5092, ringOnly: true })
    await page.getByRole('button', { name: /拨打/ }).click()
    await waitForLog(phone, /Incoming call from/i, 15_000)
    // the phone shows the pool's number as the caller, not the desk's extension
    const incoming = /Incoming call from:[^\n]*/i.exec(phone.log())![0]
    expect(incoming).toContain(picked.e164)
    expect(incoming).not.toContain('2104')
    await page.getByRole('button', { name: /挂\s*断/ }).click()
    const card = await must<{ calls: { shownNumber: string | null }[] }>(admin, 'desk.card', { leadId: lead.id })
    expect(card.calls[0].shownNumber).toBe(picked.number)
  } finally {
    await poolOff(admin)
    await phone?.stop()
    await ctx.close()
  }
})

test('回拨路由: a customer calls the centre’s number back from their lead’s phone: the seat of the operator who called them rings with the card (masked), the answered call is the lead’s, recorded; a rejected one becomes a callback on the wallboard', async ({
  browser
}) => {
  test.setTimeout(150_000)
  const op = await newOperator('sipret')
  await giveSipAccount(op.username, '2106', op.displayName)
  const admin = await hubAs('admin')
  const sup = await hubAs('supervisor')
  const ctx = await browser.newContext()
  const supCtx = await browser.newContext()
  let phone: Server | undefined
  try {
    const page = await ctx.newPage()
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
    // the operator calls a lead, who does not answer
    await page
      .getByRole('button', { name: /下一条/ })
      .first()
      .click()
    const name = await page.getByTestId('customer-card').getByLabel('姓名').inputValue()
    const found = await must<{ rows: { id: number; phone: string; status: string }[] }>(sup, 'leads.search', {
      q: name,
      limit: 5
    })
    const lead = found.rows.find((r) => r.status === 'in_queue')!
    await withPool(admin, lead.phone)
    phone = await startBaresip({ user: lead.phone, sipListenPort: 5093, ringOnly: true })
    await page.getByRole('button', { name: /拨打/ }).click()
    await waitForLog(phone, /Incoming call from/i, 15_000)
    await page.getByRole('button', { name: /挂\s*断/ }).click()
    await page
      .getByTestId('outcome-form')
      .locator('label')
      .filter({ hasText: /^4?无人接听$/ })
      .click()
    await page.getByTestId('save-outcome').click()
    await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
    await phone.stop()
    phone = undefined

    // the customer calls the number they were shown back: the operator's seat rings with their card
    const masked = `${lead.phone.slice(0, 3)}****${lead.phone.slice(7)}`
    phone = await startBaresip({
      user: lead.phone,
      sipListenPort: 5093,
      toneHz: 880,
      dial: 'sip:07715123456@127.0.0.1:5070'
    })
    try {
      await expect(page.getByTestId('incoming-call')).toContainText(masked, { timeout: 15_000 })
    } catch (err) {
      console.log('CALLER LOG\n' + phone.log().slice(-4000) + '\nKAMAILIO LOG\n' + kamailio.log().slice(-6000))
      throw err
    }
    expect(kamailio.log()).toMatch(/inbound \d+ to 07715123456: hub answered 200 2106 \d+/)
    await expect(page.getByTestId('customer-card').getByLabel('姓名')).toHaveValue(name)
    await expect(page.getByTestId('lead-phone')).toContainText('****')
    expect(await page.locator('body').innerText()).not.toContain(lead.phone)
    await page.screenshot({ path: test.info().outputPath('return-call-ringing.png') })
    await page.getByRole('button', { name: /接听/ }).click()
    await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
    await expectAudioIn(page)
    await page.waitForTimeout(2000)
    await page.getByRole('button', { name: /挂\s*断/ }).click()
    // the call was the lead's: its outcome is taken on the lead's card
    await page
      .getByTestId('outcome-form')
      .locator('label')
      .filter({ hasText: /^4?无人接听$/ })
      .click()
    await page.getByTestId('save-outcome').click()
    await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
    const card = await must<{ calls: { shownNumber: string | null; recordingId: number | null }[] }>(
      admin,
      'desk.card',
      {
        leadId: lead.id
      }
    )
    expect(card.calls).toHaveLength(2)
    expect(card.calls.every((c) => c.shownNumber === '07715123456')).toBe(true)
    expect(card.calls.some((c) => c.recordingId !== null)).toBe(true)
    await phone.stop()
    phone = undefined

    // again, and the operator rejects it: a callback for them, on the wallboard
    const before = await must<{ returnCalls: { waiting: number } }>(sup, 'reports.live', {})
    phone = await startBaresip({ user: lead.phone, sipListenPort: 5093, dial: 'sip:07715123456@127.0.0.1:5070' })
    await expect(page.getByTestId('incoming-call')).toContainText(masked, { timeout: 15_000 })
    await page.getByRole('button', { name: /拒\s*接/ }).click()
    await expect(page.getByTestId('incoming-call')).toBeHidden({ timeout: 10_000 })
    await expect
      .poll(async () => (await must<{ returnCalls: { waiting: number } }>(sup, 'reports.live', {})).returnCalls.waiting)
      .toBe(before.returnCalls.waiting + 1)
    const supPage = await supCtx.newPage()
    await loginUi(supPage, 'supervisor')
    await supPage.getByRole('menuitem', { name: '实时看板' }).click()
    await expect(supPage.getByTestId('return-calls')).toContainText(String(before.returnCalls.waiting + 1))
    await supPage.screenshot({ path: test.info().outputPath('return-call-wallboard.png') })
  } finally {
    await poolOff(admin)
    sup.close()
    await phone?.stop()
    await ctx.close()
    await supCtx.close()
  }
})

test('集成接口: an outcome saved on the desk over the SIP line reaches an outside system’s webhook, signed, once — after its receiver was down for a moment', async ({
  browser
}) => {
  test.setTimeout(120_000)
  const op = await newOperator('siphook')
  await giveSipAccount(op.username, '2107', op.displayName)
  // the outside system: a receiver that is down (503) at first
  const got: { headers: Record<string, string>; body: string }[] = []
  let up = false
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString('utf8')))
    req.on('end', () => {
      got.push({ headers: req.headers as Record<string, string>, body })
      res.writeHead(up ? 204 : 503).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  const admin = await hubAs('admin')
  const { key } = await must<{ key: string }>(admin, 'apikeys.create', {
    name: `hook-${op.username}`,
    scopes: ['webhooks:write']
  })
  const reg = await fetch(`http://127.0.0.1:${E2E_PORT}/api/v1/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`,
      events: ['outcome.saved']
    })
  })
  expect(reg.status).toBe(201)
  const { id: hookId, secret } = (await reg.json()) as { id: number; secret: string }
  const ctx = await browser.newContext()
  let phone: Server | undefined
  try {
    const page = await ctx.newPage()
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
    await page
      .getByRole('button', { name: /下一条/ })
      .first()
      .click()
    const name = await page.getByTestId('customer-card').getByLabel('姓名').inputValue()
    const sup = await hubAs('supervisor')
    const lead = (
      await must<{ rows: { id: number; phone: string; status: string }[] }>(sup, 'leads.search', { q: name, limit: 5 })
    ).rows.find((r) => r.status === 'in_queue')!
    sup.close()
    phone = await startBaresip({ user: lead.phone, sipListenPort: 5094, ringOnly: true })
    await page.getByRole('button', { name: /拨打/ }).click()
    await waitForLog(phone, /Incoming call from/i, 15_000)
    await page.getByRole('button', { name: /挂\s*断/ }).click()
    await page
      .getByTestId('outcome-form')
      .locator('label')
      .filter({ hasText: /^4?无人接听$/ })
      .click()
    await page.getByTestId('save-outcome').click()
    await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
    // refused while the receiver is down; delivered on a later try once it is up
    await expect.poll(() => got.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1)
    up = true
    await expect.poll(() => got.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2)
    const last = got[got.length - 1]
    const event = new Webhook(secret).verify(last.body, last.headers) as {
      type: string
      data: { leadId: number; disposition: string }
    }
    expect(event).toMatchObject({ type: 'outcome.saved', data: { leadId: lead.id, disposition: 'no_answer' } })
    expect(new Set(got.map((g) => g.headers['webhook-id'])).size).toBe(1)
    // once: nothing more comes
    await page.waitForTimeout(4000)
    const deliveries = await must<{ state: string; attempts: number }[]>(admin, 'webhooks.deliveries', { id: hookId })
    expect(deliveries).toEqual([expect.objectContaining({ state: 'delivered', attempts: got.length })])
  } finally {
    await must(admin, 'webhooks.disable', { id: hookId })
    admin.close()
    await phone?.stop()
    await ctx.close()
    await new Promise<void>((r) => receiver.close(() => r()))
  }
})

/** 外显: the centre's caller numbers (one of 南宁, one of 广州) in use; the number the pool picks for @phone. */
async function withPool(admin: HubClient, phone: string): Promise<{ number: string; e164: string; reason: string }> {
  const pool = Buffer.from(
    '号码,运营商,线路,活动,状态\n0771-5123456,中国电信,GX-1,,启用\n020-81234567,中国电信,GD-1,,启用\n'
  )
  const begun = await must<{ uploadId: string }>(admin, 'uploads.begin', { name: '外显号码.csv', size: pool.length })
  await must(admin, 'uploads.chunk', { uploadId: begun.uploadId, offset: 0, data: pool.toString('base64') })
  await must(admin, 'numbers.import', { uploadId: begun.uploadId })
  return must(admin, 'numbers.pick', { phone })
}

/** The pool out of use again, for the tests after this one. */
async function poolOff(admin: HubClient): Promise<void> {
  for (const n of await must<{ id: number }[]>(admin, 'numbers.list', {}))
    await must(admin, 'numbers.setStatus', { id: n.id, status: 'suspended', reason: 'e2e' })
  admin.close()
}

/** Pixels drawn in each lane of the waveform (the canvases in wavesurfer's shadow root), operator first. */
async function lanesInk(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-testid="waveform"]')?.firstElementChild as HTMLElement | null
    const lanes = Array.from(host?.shadowRoot?.querySelectorAll('.canvases > div') ?? [])
    return lanes.map((lane) =>
      Array.from(lane.querySelectorAll('canvas')).reduce((sum, c) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        let n = 0
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++
        return sum + n
      }, 0)
    )
  })
}

/** Where a script-step marker is drawn on the waveform, in seconds of the recording (from its pixels). */
async function markerSeconds(page: Page, title: string, durationMs: number): Promise<number> {
  const wave = await page.getByTestId('waveform').boundingBox()
  const marker = await page.getByTestId('waveform').locator(`[data-marker="${title}"]`).boundingBox()
  if (!wave || !marker) throw new Error(`no marker ${title}`)
  return ((marker.x - wave.x) / wave.width) * (durationMs / 1000)
}

test('QA reviews a test-bed call: what the two channels say is measured right, the two-lane waveform draws from stored peaks, plays and seeks by keyboard, shows the operator’s script markers; a failed item fails the call and the operator sees the verdict', async ({
  browser
}) => {
  test.setTimeout(180_000)
  const n = String(Date.now() % 10_000_000).padStart(7, '0')
  const phone = `1707${n}`
  const { op } = await campaignForNewOperator(
    `质检${n}`,
    {},
    `姓名,手机,地址\n质检客户${n},${phone},南宁市青秀区民族大道1号\n`,
    'qasip'
  )
  await giveSipAccount(op.username, '2104', op.displayName)
  // The customer answers and speaks (a tone) from 1.5 s to 4 s into the recording, and is silent otherwise.
  const custCtx = await browser.newContext()
  const ctx = await browser.newContext()
  const qaCtx = await browser.newContext()
  try {
    const customer = await custCtx.newPage()
    await openCustomer(customer, phone, { tone: 500, speak: 'manual' })
    const page = await ctx.newPage()
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
    await page.keyboard.press('Alt+N')
    await expect(page.getByTestId('customer-card').getByLabel('姓名')).toHaveValue(`质检客户${n}`)
    await page.keyboard.press('Alt+D')
    await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
    // the operator stays quiet (muted at once: the fake microphone beeps until then): the left channel is silent
    await page.keyboard.press('Alt+M')
    // 录音中 shows once the recorder runs: from then on the customer speaks 1.5–4 s in
    await customer.evaluate(() =>
      (window as unknown as { customer: { speak(from: number, to: number): void } }).customer.speak(1.5, 4)
    )
    await page.waitForTimeout(800)
    await page.keyboard.press('Alt+T') // 身份说明
    await page.waitForTimeout(800)
    await page.keyboard.press('Alt+T') // 录音告知; 信息授权 is never ticked
    await page.waitForTimeout(5500)
    await hangUpWithSuccess(page)

    // The known answer, from the stored peaks: the customer 1.5–4 s (+ 250 ms hang-over), the operator silent.
    const qa = await hubAs('qa')
    const queue = await must<{ recordingId: number; operatorName: string; gate: boolean; reasons: string[] }[]>(
      qa,
      'qa.queue',
      {}
    )
    const entry = queue.find((q) => q.operatorName === op.displayName)!
    expect(entry).toMatchObject({ gate: true, reasons: ['success'] })
    const c = await must<{
      metrics: {
        customerTalkShare: number
        operatorTalkShare: number
        talkOverShare: number
        firstCustomerWordMs: number
        hungUpBy: string
      }
      recording: { durationMs: number }
      ticks: { title: string; offsetMs: number }[]
    }>(qa, 'qa.context', {
      recordingId: entry.recordingId
    })
    qa.close()
    const customerMs = c.metrics.customerTalkShare * c.recording.durationMs
    expect(Math.abs(customerMs - 2750), `customer talked ${customerMs} ms`).toBeLessThan(700)
    // the first word where the stored audio has it (ffmpeg on the right channel): 1.5 s after recording began, plus
    // however long the test and the call's audio path took to get it there (seconds on a loaded machine)
    const onset = soundOnsetMs(await lastRecordingFile(op.displayName, 'sip'), 'pan=mono|c0=c1')
    expect(onset, 'the customer’s tone in the file').toBeGreaterThanOrEqual(1400)
    expect(onset).toBeLessThan(6000)
    expect(
      Math.abs(c.metrics.firstCustomerWordMs - onset),
      `first word at ${c.metrics.firstCustomerWordMs} ms, in the audio at ${onset} ms`
    ).toBeLessThan(200)
    expect(c.metrics.operatorTalkShare).toBeLessThan(0.1)
    expect(c.metrics.talkOverShare).toBeLessThan(0.05)
    expect(c.metrics.hungUpBy).toBe('operator')

    // The reviewer claims it from the queue (a success waiting before dispatch).
    const rv = await qaCtx.newPage()
    await loginUi(rv, 'qa')
    await rv.getByRole('menuitem', { name: '质检队列' }).click()
    const row = rv.getByTestId('review-queue').getByRole('row').filter({ hasText: op.displayName })
    await expect(row).toContainText('待派单')
    await row.getByRole('button', { name: /领\s*取/ }).click()
    await expect(rv.getByTestId('review-view')).toBeVisible()
    // QA may unmask (the centre's default): the number is masked until asked for, with a reason, and audited
    await expect(rv.getByTestId('review-phone')).toContainText('****')
    await rv.getByTestId('unmask').click()
    await rv.getByLabel('原因（如：客户投诉核实）').fill('核对客户身份')
    await rv.getByRole('button', { name: /确\s*定|OK/ }).click()
    await expect(rv.getByTestId('review-phone')).toHaveText(/^\d{11}$/)
    // two lanes drawn on canvas: the customer's tone, the operator's near-flat line
    await expect.poll(() => lanesInk(rv).then((l) => l.length)).toBe(2)
    const [opInk, custInk] = await lanesInk(rv)
    expect(custInk).toBeGreaterThan(500)
    expect(custInk).toBeGreaterThan(opInk * 3)
    // the operator's ticks are markers on the waveform, each where it was ticked; the missing mandatory step is flagged
    await expect(rv.getByTestId('waveform').getByText('身份说明')).toBeVisible()
    await expect(rv.getByTestId('waveform').getByText('录音告知')).toBeVisible()
    await expect(rv.getByTestId('missing-steps')).toContainText('信息授权')
    for (const tick of c.ticks) {
      const at = await markerSeconds(rv, tick.title, c.recording.durationMs)
      expect(
        Math.abs(at - tick.offsetMs / 1000),
        `${tick.title} drawn at ${at.toFixed(2)} s, ticked at ${tick.offsetMs} ms`
      ).toBeLessThan(0.25)
    }
    expect(c.ticks.map((k) => k.title)).toEqual(['身份说明', '录音告知'])
    expect(c.ticks[1].offsetMs - c.ticks[0].offsetMs).toBeGreaterThan(500)

    // play, then the keyboard: Space pauses, → jumps 5 s, ← back; 3 is 1.5×; the position goes into the address
    await rv.getByTestId('play').click()
    await expect.poll(() => playerSeconds(rv), { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
    await rv.keyboard.press(' ')
    await expect(rv.getByTestId('play')).toContainText('播放')
    const t1 = await playerSeconds(rv)
    await rv.keyboard.press('ArrowRight')
    await expect.poll(() => playerSeconds(rv)).toBe(Math.min(t1 + 5, Math.floor(c.recording.durationMs / 1000)))
    expect(Number(new URL(rv.url().replace('#/', '')).searchParams.get('t'))).toBeGreaterThanOrEqual(t1 + 4)
    const shared = rv.url()
    await rv.keyboard.press('ArrowLeft')
    await expect.poll(() => playerSeconds(rv)).toBe(t1)
    await rv.keyboard.press('3')
    await expect(rv.getByTestId('waveform-player').locator('.ant-segmented-item-selected')).toHaveText('1.5×')
    // after playing, pausing and seeking each marker is drawn once (its caption was once doubled)
    for (const title of ['身份说明', '录音告知'])
      await expect(rv.getByTestId('waveform').getByText(title, { exact: true })).toHaveCount(1)
    // a colleague opening the shared link on their own computer (and logging in) starts at that position
    const colleagueCtx = await browser.newContext()
    const colleague = await colleagueCtx.newPage()
    await loginUi(colleague, 'qa', undefined, shared)
    await expect.poll(() => playerSeconds(colleague), { timeout: 15_000 }).toBeGreaterThanOrEqual(t1 + 4)
    await colleagueCtx.close()

    // score: nothing is assumed — no total, no verdict, no submit until every item is scored; the mandatory-step
    // item is pre-filled from the markers; one auto-fail item fails the call
    const form = rv.getByTestId('score-form')
    await expect(form.getByTestId('item-steps').getByRole('spinbutton')).toHaveValue('0')
    await expect(rv.getByTestId('score-total')).toContainText('还有 8 项未评分')
    await expect(form.getByRole('radio', { checked: true })).toHaveCount(0)
    await expect(rv.getByTestId('submit-review')).toBeDisabled()
    for (const [item, points] of [
      ['identity', 10],
      ['needs', 15],
      ['listening', 15],
      ['accuracy', 20],
      ['attitude', 15],
      ['closing', 10]
    ] as const) {
      await form.getByTestId(`item-${item}`).getByRole('spinbutton').fill(String(points))
    }
    await form.getByTestId('item-consent').locator('label').filter({ hasText: '未出现' }).click()
    await expect(rv.getByTestId('score-total')).toContainText('还有 1 项未评分')
    await expect(rv.getByTestId('submit-review')).toBeDisabled()
    await form.getByTestId('item-misleading').locator('label').filter({ hasText: '出现此情况' }).click()
    await expect(rv.getByTestId('score-total')).toContainText('总分 85 / 100')
    await expect(form.getByRole('radio', { name: '不合格', checked: true })).toHaveCount(1)
    await rv.getByLabel('评语').fill('未取得信息授权，且有承诺保本的说法')
    await rv.getByTestId('submit-review').click()
    await expect(rv.getByText('评分已提交')).toBeVisible()
    await expect(rv.getByTestId('review-summary').getByTestId('verdict')).toHaveText('不合格')

    // the operator's side: the verdict and the comment; the success went back to the supervisors
    await page.getByRole('menuitem', { name: '我的质检' }).click()
    const mine = page
      .getByTestId('my-reviews')
      .getByRole('row')
      .filter({ hasText: `质检客户${n}` })
    await expect(mine).toContainText('不合格')
    await expect(mine).toContainText('未取得信息授权')
    await expect(mine.getByRole('button', { name: /申\s*诉/ })).toBeVisible()
    const sup = await hubAs('supervisor')
    const returned = await must<{ customerName: string; reason: string }[]>(sup, 'qa.returned', {})
    sup.close()
    expect(returned.find((r) => r.customerName === `质检客户${n}`)).toMatchObject({
      reason: '未取得信息授权，且有承诺保本的说法'
    })
  } finally {
    await Promise.all([ctx.close(), custCtx.close(), qaCtx.close()])
  }
})

test('an administrator sets up an operator’s line in 用户管理: 测试注册 says in words what a wrong password and the right one get; the operator then calls on it, and the callee’s tone is on the right channel', async ({
  browser
}) => {
  test.setTimeout(150_000)
  const op = await newOperator('sipui')
  const customer = await (await browser.newContext()).newPage()
  await openCustomer(customer, '2301', { tone: 440 })
  const adminCtx = await browser.newContext()
  const admin = await adminCtx.newPage()
  await loginUi(admin, 'admin')
  await admin.getByRole('menuitem', { name: '用户管理' }).click()
  await admin.getByTestId(`sip-line-${op.username}`).click()
  const drawer = admin.getByTestId('sip-line-drawer')
  await drawer.getByLabel('WebSocket 地址').fill(`ws://127.0.0.1:${SIP_PORT}`)
  await drawer.getByLabel('SIP 域').fill('127.0.0.1')
  await drawer.getByLabel('分机号').fill('2201')
  await drawer.getByLabel('SIP 密码').fill('not-the-password')
  await drawer.getByTestId('sip-test').click()
  await expect(drawer.getByTestId('sip-test-result')).toContainText('分机号或密码不对', { timeout: 15_000 })
  await drawer.getByLabel('SIP 密码').fill(testbedPassword('2201'))
  await drawer.getByTestId('sip-test').click()
  await expect(drawer.getByTestId('sip-test-result')).toHaveText('注册成功：线路可以使用', { timeout: 15_000 })
  await drawer.getByRole('button', { name: /保\s*存/ }).click()
  await expect(admin.getByText('SIP 线路已保存')).toBeVisible()
  await expect(admin.getByTestId(`sip-line-${op.username}`)).toHaveText('2201')
  // the saved line tests again without typing the password (it never comes back to the screen)
  await admin.getByTestId(`sip-line-${op.username}`).click()
  await expect(drawer.getByLabel('SIP 密码')).toHaveValue('')
  await expect(drawer.getByLabel('SIP 密码')).toHaveAttribute('placeholder', '已设置；留空则保持不变')
  await drawer.getByTestId('sip-test').click()
  await expect(drawer.getByTestId('sip-test-result')).toHaveText('注册成功：线路可以使用', { timeout: 15_000 })
  await adminCtx.close()

  // the operator registers on it (digest auth) and calls the customer's extension
  const ctx = await browser.newContext()
  try {
    const page = await ctx.newPage()
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('line-state')).toHaveText('已注册', { timeout: 15_000 })
    await page.getByLabel('电话号码').fill('2301')
    await page.getByRole('button', { name: /呼\s*叫/ }).click()
    await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
    await expectAudioIn(page)
    await page.waitForTimeout(3000)
    await page.getByRole('button', { name: /挂\s*断/ }).click()
    await expect(page.getByTestId('last-recording')).toBeVisible({ timeout: 20_000 })
    const file = await lastRecordingFile(op.displayName, 'sip')
    const right = meanVolume(file, 'pan=mono|c0=c1,bandpass=f=440:width_type=h:w=80')
    expect(right).toBeGreaterThan(-40)
    expect(right).toBeGreaterThan(meanVolume(file, 'pan=mono|c0=c0,bandpass=f=440:width_type=h:w=80') + 10)
  } finally {
    await ctx.close()
    await customer.context().close()
  }
})

test('a floor’s lines from one spreadsheet: a wrong row refuses the whole file with its reason; the corrected file sets every line, which registers', async ({
  page
}) => {
  test.setTimeout(120_000)
  const a = await newOperator('sipbulk')
  const b = await newOperator('sipbulk')
  const dir = mkdtempSync(join(tmpdir(), 'leadline-lines-'))
  const bad = join(dir, 'lines-bad.csv')
  const good = join(dir, '坐席线路.csv')
  writeFileSync(
    bad,
    `用户名,分机,密码\n${a.username},2401,${testbedPassword('2401')}\nnobody_here,2402,x\n${b.username},2401,${testbedPassword('2401')}\n`
  )
  writeFileSync(
    good,
    `用户名,分机,密码\n${a.username},2401,${testbedPassword('2401')}\n${b.username},2402,${testbedPassword('2402')}\n`
  )
  await loginUi(page, 'admin')
  await page.getByRole('menuitem', { name: '用户管理' }).click()
  await page.getByRole('button', { name: /批量导入线路/ }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('WebSocket 地址').fill(`ws://127.0.0.1:${SIP_PORT}`)
  await dialog.getByLabel('SIP 域').fill('127.0.0.1')
  await dialog.locator('input[type=file]').setInputFiles(bad)
  await dialog.getByRole('button', { name: /检查并导入/ }).click()
  const report = dialog.getByTestId('sip-import-report')
  await expect(report).toContainText('3 行中有 2 行有问题，一条都没有保存')
  await expect(report.getByRole('row').filter({ hasText: 'nobody_here' })).toContainText('3')
  await expect(report).toContainText('分机 2401 在第 2 行已出现')
  const hub = await hubAs('admin')
  const lines = async () =>
    (await must<{ username: string; sipUser: string }[]>(hub, 'sip.accounts', {})).filter(
      (l) => l.username === a.username || l.username === b.username
    )
  expect(await lines()).toEqual([])
  await dialog.locator('input[type=file]').setInputFiles(good)
  await dialog.getByRole('button', { name: /检查并导入/ }).click()
  await expect(report).toContainText('已设置 2 条线路')
  expect((await lines()).map((l) => l.sipUser).sort()).toEqual(['2401', '2402'])
  const userIds = await must<{ id: number; username: string }[]>(hub, 'users.list', { role: 'operator' })
  const tried = await must<{ verdict: string }>(hub, 'sip.testRegister', {
    userId: userIds.find((u) => u.username === b.username)!.id
  })
  expect(tried.verdict).toBe('registered')
  // a PBX that challenges with a realm other than the SIP domain: the password works, the desks' key
  // would not, and the administrator is told why before an operator sits down
  const realm = await must<{ verdict: string; text: string }>(hub, 'sip.testRegister', {
    userId: userIds.find((u) => u.username === b.username)!.id,
    domain: 'realm.test',
    password: testbedPassword('2402')
  })
  expect(realm.verdict).toBe('realmNotDomain')
  expect(realm.text).toContain('认证域（realm）是 asterisk')
  hub.close()
})
