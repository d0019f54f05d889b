import { expect, test, type Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import {
  campaignForNewOperator,
  hubAs,
  hubNow,
  lastRecordingFile,
  meanVolume,
  newOperator,
  pickerText,
  pickSuccessWithVisit
} from './support'

/** Logs in with the keyboard only: type, Tab, type, Enter. */
async function keyboardLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/')
  await page.getByLabel('用户名').focus()
  await page.keyboard.type(username)
  await page.keyboard.press('Tab')
  await page.keyboard.type(password)
  await page.keyboard.press('Enter')
  // An operator lands on the dial desk.
  await expect(page.getByTestId('agent-state')).toHaveText('就绪', { timeout: 15_000 })
}

/** Presses Tab until the focused element matches, as a keyboard user does. */
async function tabTo(page: Page, test: (el: Element) => boolean, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(`(${test.toString()})(document.activeElement)`)) return
  }
  throw new Error('never reached the element with Tab')
}

/** Takes the next lead, dials it on the simulated line, talks a moment and hangs up; returns the customer's name. */
async function callNextAndHangUp(page: Page, talkMs: number): Promise<string> {
  await page.keyboard.press('Alt+N')
  const name = await page.getByTestId('customer-card').getByLabel('姓名').inputValue()
  await page.keyboard.press('Alt+D')
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  await page.waitForTimeout(talkMs)
  await page.keyboard.press('Alt+H')
  await expect(page.getByTestId('agent-state')).toHaveText('话后整理', { timeout: 15_000 })
  return name
}

async function leadByPhoneMask(name: string) {
  const sup = await hubAs('supervisor')
  const r = await sup.call('leads.search', { q: name, limit: 5 })
  sup.close()
  if (!r.ok) throw new Error(r.error.message)
  return (r.value as { rows: { id: number; name: string; phone: string; status: string }[] }).rows
}

test('an operator works a lead with the keyboard alone: next, dial, script steps, 同意约访 with visit time and consent; the lead is accepted with its recording', async ({
  page
}) => {
  test.setTimeout(120_000)
  const op = await newOperator('deskkb')
  await keyboardLogin(page, op.username, op.password)

  await page.keyboard.press('Alt+N')
  const card = page.getByTestId('customer-card')
  await expect(card).toBeVisible()
  // the number is masked on the desk
  await expect(page.getByTestId('lead-phone')).toHaveText(/^138\*\*\*\*\d{4}$/)
  // where the number is from and its range's carrier (138 0771: China Mobile, Nanning)
  await expect(page.getByTestId('lead-phone-region')).toHaveText('广西南宁市 · 中国移动')
  const name = await card.getByLabel('姓名').inputValue()
  // the script greets with the operator's name and staff number, and the customer's name
  await expect(page.getByTestId('script-step-identity')).toContainText(`${op.displayName}，工号T`)
  await expect(page.getByTestId('script-step-identity')).toContainText(name)

  await page.keyboard.press('Alt+D')
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  await expect(page.getByTestId('agent-state')).toHaveText('通话中')
  for (let i = 0; i < 3; i++) {
    await page.waitForTimeout(700)
    await page.keyboard.press('Alt+T')
  }
  await expect(page.getByTestId('required-steps').getByRole('checkbox', { checked: true })).toHaveCount(3)
  // the script followed the operator: past the last step said (信息授权) to the closing words, not back at step 1
  await expect(page.getByTestId('script-step-close')).toBeVisible()
  await expect(page.getByTestId('script-step-identity')).toBeHidden()
  await page.waitForTimeout(1500)
  await page.keyboard.press('Alt+H')
  await expect(page.getByTestId('agent-state')).toHaveText('话后整理', { timeout: 15_000 })
  await expect(page.getByTestId('wrap-up')).toBeVisible()

  // 1 = 同意约访; the visit time takes the focus
  const visit = await pickSuccessWithVisit(page)
  // the district is detected from the address; the consent is a checkbox reached with Tab
  await tabTo(
    page,
    (el) =>
      el instanceof HTMLInputElement &&
      el.type === 'checkbox' &&
      !!el.closest('.ant-form-item')?.textContent?.includes('客户同意')
  )
  await page.keyboard.press('Space')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
  await expect(page.getByTestId('agent-state')).toHaveText('就绪')

  // The lead is accepted, with the call, its outcome and its recording; the ticks are stored at their offsets.
  const [lead] = (await leadByPhoneMask(name)).filter((l) => l.status === 'accepted')
  expect(lead).toBeTruthy()
  const sup = await hubAs('supervisor')
  const c = await sup.call('desk.card', { leadId: lead.id })
  sup.close()
  if (!c.ok) throw new Error(c.error.message)
  const calls = (
    c.value as { calls: { outcome: string; recordingId: number | null; simulated: boolean; callId: number }[] }
  ).calls
  expect(calls[0]).toMatchObject({ outcome: '同意约访', simulated: true })
  expect(calls[0].recordingId).not.toBeNull()
  const db = new Database(join(process.env.LEADLINE_E2E_DATA!, 'leadline.db'), { readonly: true })
  try {
    const ticks = db
      .prepare('SELECT step_id, offset_ms FROM script_ticks WHERE call_id = ? ORDER BY offset_ms')
      .all(calls[0].callId) as { step_id: string; offset_ms: number }[]
    expect(ticks.map((t) => t.step_id)).toEqual(['identity', 'notice', 'consent'])
    expect(ticks[0].offset_ms).toBeGreaterThan(300)
    expect(ticks[2].offset_ms).toBeGreaterThan(ticks[0].offset_ms)
    const o = db
      .prepare('SELECT consent, visit_at, district_code, simulated FROM outcomes WHERE call_id = ?')
      .get(calls[0].callId) as { consent: number; visit_at: string; district_code: string; simulated: number }
    expect(o).toMatchObject({ consent: 1, simulated: 1 })
    expect(o.district_code).toMatch(/^4501/)
    expect(new Date(o.visit_at).getTime()).toBe(visit.getTime() - (visit.getTime() % 60_000))
  } finally {
    db.close()
  }

  // the help overlay lists the keys
  await page.keyboard.press('F1')
  await expect(page.getByTestId('shortcut-help')).toContainText('Alt+N')
  await expect(page.getByTestId('shortcut-help')).toContainText('同意约访')
})

test('a refusal puts the number on the do-not-call list for 6 months', async ({ page }) => {
  test.setTimeout(90_000)
  const op = await newOperator('deskrf')
  await keyboardLogin(page, op.username, op.password)
  await expect(page.getByTestId('line-state')).toHaveText('已注册')
  await page
    .getByRole('button', { name: /下一条/ })
    .first()
    .click()
  const name = await page.getByTestId('customer-card').getByLabel('姓名').inputValue()
  await page.getByRole('button', { name: /拨打/ }).click()
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  await page.waitForTimeout(1500)
  await page.getByRole('button', { name: /挂断/ }).click()
  await page
    .getByTestId('outcome-form')
    .locator('label')
    .filter({ hasText: /^3?拒绝$/ })
    .click()
  await expect(page.getByTestId('outcome-form')).toContainText('免打扰名单 180 天')
  await page.getByTestId('save-outcome').click()
  await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })

  const [lead] = (await leadByPhoneMask(name)).filter((l) => l.status === 'refused')
  expect(lead).toBeTruthy()
  const sup = await hubAs('supervisor')
  const dnc = await sup.call('dnc.list', { q: lead.phone })
  sup.close()
  if (!dnc.ok) throw new Error(dnc.error.message)
  const entry = (dnc.value as { phone: string; source: string; expiresAt: string }[])[0]
  expect(entry).toMatchObject({ phone: lead.phone, source: 'refusal' })
  const days = (new Date(entry.expiresAt).getTime() - hubNow().getTime()) / 86_400_000
  expect(days).toBeGreaterThan(179)
  expect(days).toBeLessThan(181)
})

test('a callback booked for later comes back first when it is due', async ({ page }) => {
  test.setTimeout(240_000)
  const op = await newOperator('deskcb')
  await keyboardLogin(page, op.username, op.password)
  const name = await callNextAndHangUp(page, 1000)
  await page.keyboard.press('Alt+2')
  // the next whole minute on the hub's clock, at least 20 s away
  const due = new Date(Math.ceil((hubNow().getTime() + 20_000) / 60_000) * 60_000)
  await expect(page.getByLabel('回拨时间')).toBeFocused()
  await page.keyboard.type(pickerText(due))
  await page.keyboard.press('Enter')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })

  // Before it is due, the queue gives another lead (from the pool); skipped.
  await page.keyboard.press('Alt+N')
  await expect(page.getByTestId('lead-source')).toHaveText('公共名单池')
  // (the lead before came from the pool too: the card is waited for, not read at once)
  await expect
    .poll(() => page.getByTestId('customer-card').getByLabel('姓名').inputValue())
    .toMatch(new RegExp(`^(?!${name}$).+`))
  // 跳过 asks why (a key per reason), then the lead goes back behind the others
  await page.keyboard.press('Alt+S')
  await expect(page.getByRole('dialog', { name: '跳过这条线索' })).toBeVisible()
  await page.keyboard.press('3')
  await expect(page.getByRole('radio', { name: /非目标客户/ })).toBeChecked()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('customer-card')).toBeHidden()
  await expect(page.getByTestId('skips')).toContainText('1')

  await page.waitForTimeout(Math.max(0, due.getTime() - hubNow().getTime()) + 1000)
  await page.keyboard.press('Alt+N')
  await expect(page.getByTestId('lead-source')).toHaveText('预约回拨')
  expect(await page.getByTestId('customer-card').getByLabel('姓名').inputValue()).toBe(name)
})

test('a campaign that asks for it plays the recording notice to the customer on answer, and it is in the recording', async ({
  page
}) => {
  test.setTimeout(120_000)
  const n = `${Date.now() % 100_000}`.padStart(5, '0')
  const { op } = await campaignForNewOperator(
    `录音告知${n}`,
    { recordingNotice: true },
    `姓名,手机,地址\n告知客户${n},170999${n},南宁市青秀区民族大道1号\n`,
    'desknt'
  )

  await keyboardLogin(page, op.username, op.password)
  await page.keyboard.press('Alt+N')
  await expect(page.getByTestId('customer-card')).toContainText(`录音告知${n}`)
  await page.keyboard.press('Alt+D')
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  // The operator keeps quiet: what the customer hears now is the notice alone.
  await page.keyboard.press('Alt+M')
  await expect(page.getByTestId('call-state')).toContainText('正在播放录音告知')
  await expect(page.getByTestId('call-state')).not.toContainText('正在播放录音告知', { timeout: 15_000 })
  await page.waitForTimeout(4000)
  await page.keyboard.press('Alt+H')
  await expect(page.getByTestId('last-recording')).toBeVisible({ timeout: 20_000 })

  const file = await lastRecordingFile(op.displayName)
  // the operator's side (left) carries the notice in the first seconds, and silence once it has played
  const during = meanVolume(file, 'atrim=1:4,pan=mono|c0=c0')
  const after = meanVolume(file, 'atrim=start=7,pan=mono|c0=c0')
  expect(during).toBeGreaterThan(-45)
  expect(during).toBeGreaterThan(after + 15)
})

test('the hub goes away while the outcome is saved: it is kept on the seat, sent when the hub is back, and saved once', async ({
  page
}) => {
  test.setTimeout(120_000)
  const op = await newOperator('deskob')
  // Every WebSocket of the page passes through here; while `down`, the hub cannot be reached.
  let down = false
  const open: { close: () => Promise<void> }[] = []
  await page.routeWebSocket(/\/api\/ws$/, (ws) => {
    if (down) {
      void ws.close({ code: 1011, reason: 'hub away' })
      return
    }
    ws.connectToServer()
    open.push(ws)
  })
  await keyboardLogin(page, op.username, op.password)
  const name = await callNextAndHangUp(page, 1500)
  await page.keyboard.press('Alt+4')

  down = true
  await Promise.all(open.splice(0).map((ws) => ws.close()))
  await expect(page.getByText('与服务器的连接已断开')).toBeVisible({ timeout: 10_000 })
  await page.keyboard.press('Control+Enter')
  await expect(page.getByText('结果已保存在本机')).toBeVisible()
  await expect(page.getByText('1 条结果等待提交')).toBeVisible()
  const [lead] = (await leadByPhoneMask(name)).filter((l) => l.status === 'in_call')
  expect(lead).toBeTruthy()

  down = false
  await expect(page.getByText('1 条结果等待提交')).toBeHidden({ timeout: 30_000 })
  const db = new Database(join(process.env.LEADLINE_E2E_DATA!, 'leadline.db'), { readonly: true })
  try {
    const rows = db.prepare('SELECT disposition FROM outcomes WHERE lead_id = ?').all(lead.id)
    expect(rows).toEqual([{ disposition: 'no_answer' }])
  } finally {
    db.close()
  }
})

test('a supervisor publishes a new script version and sees operators’ states on the wallboard', async ({ page }) => {
  test.setTimeout(90_000)
  await page.goto('/')
  await page.getByLabel('用户名').fill('supervisor')
  await page.getByLabel('密码').fill('demo1234')
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await page.getByRole('menuitem', { name: '活动设置' }).click()
  const row = page.getByRole('row', { name: /演示活动/ })
  await row.getByRole('button', { name: /通话脚本/ }).click()
  const drawer = page.locator('.ant-drawer-open')
  await expect(drawer.getByLabel('脚本名称')).toHaveValue('标准约访话术')
  await drawer.getByLabel('脚本名称').fill('标准约访话术（修订）')
  await drawer.getByRole('button', { name: /发布新版本/ }).click()
  await expect(page.getByText(/已发布第 \d+ 版/)).toBeVisible()
  await expect(drawer.getByRole('cell', { name: '标准约访话术（修订）' })).toBeVisible()
  await drawer.getByRole('button', { name: 'Close' }).or(drawer.locator('.ant-drawer-close')).first().click()
  await page.getByRole('menuitem', { name: '实时看板' }).click()
  await expect(page.getByTestId('agent-board')).toContainText('王芳')
  await expect(page.getByTestId('agent-board')).toContainText(/就绪|离线|暂停|话后整理|通话中/)
})

test('progressive mode: the next lead dials itself after a visible countdown, which the operator can stop', async ({
  page
}) => {
  test.setTimeout(120_000)
  const n = `${Date.now() % 100_000}`.padStart(5, '0')
  const { op } = await campaignForNewOperator(
    `渐进${n}`,
    { dialMode: 'progressive', progressiveDelaySec: 3 },
    `姓名,手机\n渐进甲${n},170888${n}\n渐进乙${n},170887${n}\n`,
    'deskpg'
  )

  await keyboardLogin(page, op.username, op.password)
  await page.keyboard.press('Alt+N')
  await expect(page.getByTestId('progressive-countdown')).toContainText('秒后自动拨打下一条')
  // it dials by itself
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  await page.waitForTimeout(1000)
  await page.keyboard.press('Alt+H')
  await expect(page.getByTestId('agent-state')).toHaveText('话后整理', { timeout: 15_000 })
  await page.keyboard.press('Alt+4')
  await page.keyboard.press('Control+Enter')
  // the next lead comes with its countdown; the operator stops it
  await expect(page.getByTestId('progressive-countdown')).toBeVisible({ timeout: 10_000 })
  await page.keyboard.press('Alt+X')
  await expect(page.getByTestId('progressive-countdown')).toBeHidden()
  await page.waitForTimeout(4000)
  await expect(page.getByTestId('call-state')).toHaveText('通话已结束')
  await expect(page.getByRole('button', { name: /拨打/ })).toBeEnabled()
})

test('hanging up while the last recording chunks are late never wedges the desk: wrap-up at once, the outcome saves, the recording is whole', async ({
  page
}) => {
  test.setTimeout(120_000)
  const op = await newOperator('desklt')
  // From `lateFrom` on, the page's recording chunks reach the hub 7 s late: longer than the hub's
  // stale time (4 s here), so the hub closes the recording as interrupted before they arrive.
  let late = false
  await page.routeWebSocket(/\/api\/ws$/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((m) => {
      if (late && String(m).includes('"recordings.chunk"')) setTimeout(() => server.send(m), 7000)
      else server.send(m)
    })
  })
  await keyboardLogin(page, op.username, op.password)
  await page.keyboard.press('Alt+N')
  await expect(page.getByTestId('customer-card')).toBeVisible()
  await page.keyboard.press('Alt+D')
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  await page.waitForTimeout(2500)
  late = true
  await page.waitForTimeout(1500)
  await page.keyboard.press('Alt+H')
  // wrap-up comes at once, with the outcome form enabled, while the chunks are still on their way
  await expect(page.getByTestId('agent-state')).toHaveText('话后整理', { timeout: 5000 })
  await expect(page.getByTestId('outcome-form').getByRole('radio').first()).toBeEnabled()
  await page.keyboard.press('Alt+4')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
  await expect(page.getByTestId('agent-state')).toHaveText('就绪')
  await expect(page.getByTestId('desk-error')).toBeHidden()

  // The hub did close the recording meanwhile (the race happened), took it up again with the late
  // chunks, and closed it whole when the seat finished it.
  const db = new Database(join(process.env.LEADLINE_E2E_DATA!, 'leadline.db'), { readonly: true })
  try {
    const rec = () =>
      db
        .prepare(
          'SELECT r.id, r.state, r.chunks, r.duration_ms AS ms, c.end_cause AS cause FROM recordings r JOIN calls c ON c.id = r.call_id JOIN users u ON u.id = r.operator_id WHERE u.username = ? ORDER BY r.id DESC LIMIT 1'
        )
        .get(op.username) as { id: number; state: string; chunks: number; ms: number; cause: string }
    await expect.poll(() => rec().state, { timeout: 30_000 }).toBe('done')
    const r = rec()
    expect(r.cause).toBe('operator')
    expect(r.chunks).toBeGreaterThanOrEqual(3)
    expect(r.ms).toBeGreaterThan(3500)
    expect(
      db
        .prepare("SELECT count(*) FROM audit_log WHERE action = 'recordings.resumed' AND entity_id = ?")
        .pluck()
        .get(String(r.id))
    ).toBeGreaterThanOrEqual(1)
  } finally {
    db.close()
  }
})

test('a reload during wrap-up brings the call back for its outcome, with what was filled in; Alt+N says why it waits', async ({
  page
}) => {
  test.setTimeout(120_000)
  const op = await newOperator('deskrl')
  await keyboardLogin(page, op.username, op.password)
  const name = await callNextAndHangUp(page, 1500)
  // Alt+N before the outcome is saved: the desk says why instead of doing nothing
  await page.keyboard.press('Alt+N')
  await expect(page.getByTestId('desk-notice')).toHaveText('请先保存本通电话的结果（Ctrl+Enter），再取下一条')
  await page.keyboard.press('Alt+2')
  const due = new Date(hubNow().getTime() + 3 * 86_400_000)
  due.setUTCHours(2, 0, 0, 0) // 10:00 in Nanning
  await expect(page.getByLabel('回拨时间')).toBeFocused()
  await page.keyboard.type(pickerText(due))
  await page.keyboard.press('Enter')
  await page.getByTestId('outcome-form').getByLabel('备注').fill('客户周四上午方便')

  await page.reload()
  // back on the same lead, in wrap-up, with the form as it was
  await expect(page.getByTestId('agent-state')).toHaveText('话后整理', { timeout: 15_000 })
  await expect(page.getByTestId('customer-card').getByLabel('姓名')).toHaveValue(name)
  await expect(page.getByTestId('outcome-form').getByLabel('备注')).toHaveValue('客户周四上午方便')
  await expect(page.getByLabel('回拨时间')).toHaveValue(pickerText(due))
  await page.keyboard.press('Alt+N')
  await expect(page.getByTestId('desk-notice')).toContainText('再取下一条')
  await page.getByTestId('save-outcome').click()
  await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })

  const db = new Database(join(process.env.LEADLINE_E2E_DATA!, 'leadline.db'), { readonly: true })
  try {
    const rows = db
      .prepare(
        'SELECT o.disposition, o.notes, o.callback_at AS at, o.call_id AS callId FROM outcomes o JOIN users u ON u.id = o.operator_id WHERE u.username = ?'
      )
      .all(op.username) as { disposition: string; notes: string; at: string; callId: number | null }[]
    expect(rows).toEqual([
      { disposition: 'callback', notes: '客户周四上午方便', at: due.toISOString(), callId: expect.any(Number) }
    ])
  } finally {
    db.close()
  }
  // and the next lead is a new one
  await page.keyboard.press('Alt+N')
  await expect(page.getByTestId('customer-card').getByLabel('姓名')).not.toHaveValue(name)
})
