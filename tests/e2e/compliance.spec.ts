import { expect, test } from '@playwright/test'
import { hubAs, loginUi, must, newOperator } from './support'

/**
 * The compliance officer's week, through the UI: QA registers a 骚扰 complaint by hand and the
 * number is on the do-not-call list at once; the case is taken in hand, decided and closed; the
 * administrator looks the customer up, erases them, and the proof is what is left.
 */
const PHONE = '13977129999'

test('a 骚扰 complaint stops the number; the case is decided and closed; the customer is erased with a proof', async ({
  page: qaPage,
  browser
}) => {
  let page = qaPage
  await loginUi(page, 'qa', undefined, '/#/complaints')
  await page.getByTestId('complaint-new').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('类别').click()
  await page.getByTitle('骚扰/频繁来电').click()
  await expect(dialog.getByText('骚扰/频繁来电投诉会立即把号码加入所有活动的免打扰名单')).toBeVisible()
  await dialog.getByLabel('号码').fill(PHONE)
  await dialog.getByLabel('投诉内容').fill('一天内接到三次推销电话')
  await dialog.getByRole('button', { name: '登记投诉' }).click()
  await expect(page.getByText(/已登记投诉 #\d+/)).toBeVisible()
  const row = page
    .getByTestId('complaints-list')
    .locator('tr', { hasText: '一天内' })
    .or(page.getByTestId('complaints-list').locator('tr', { hasText: '骚扰/频繁来电' }))
  await expect(row.first()).toContainText('已加入免打扰名单')
  await expect(row.first()).toContainText('已受理')
  // the list stops the number in every campaign, from now
  const sup = await hubAs('supervisor')
  expect(await sup.call('dnc.check', { phone: PHONE })).toMatchObject({
    ok: true,
    value: { blocked: true, entry: { source: 'complaint', scope: 'all' } }
  })

  // the case, step by step
  await row.first().click()
  const drawer = page.getByTestId('complaint-drawer')
  await drawer.getByRole('button', { name: '开始处理' }).click()
  await page
    .getByRole('dialog')
    .last()
    .getByRole('button', { name: /确\s*定|OK/ })
    .click()
  await expect(drawer.getByText('处理中').first()).toBeVisible()
  await drawer.getByRole('button', { name: '作出决定' }).click()
  await page.getByRole('dialog').last().getByLabel('处理决定').fill('已致歉，号码已加入免打扰名单')
  await page
    .getByRole('dialog')
    .last()
    .getByRole('button', { name: /确\s*定|OK/ })
    .click()
  await expect(drawer.getByText('已致歉，号码已加入免打扰名单').first()).toBeVisible()
  await drawer.getByRole('button', { name: /结\s*案/ }).click()
  await page
    .getByRole('dialog')
    .last()
    .getByRole('button', { name: /确\s*定|OK/ })
    .click()
  await expect(drawer.getByText('已结案').first()).toBeVisible()
  for (const step of ['受理', '开始处理', '作出决定', '结案'])
    await expect(drawer.getByText(step).first()).toBeVisible()
  await page.screenshot({ path: 'test-results/compliance-case.png' })

  // the administrator: what is held, then the erasure
  page = await (await browser.newContext()).newPage()
  await loginUi(page, 'admin', undefined, '/#/privacy')
  await page.getByTestId('privacy-phone').fill(PHONE)
  await page.getByRole('button', { name: '查询' }).click()
  await expect(page.getByTestId('privacy-counts')).toContainText('投诉 1 · 免打扰 1')
  await page.getByTestId('privacy-erase').click()
  await page.getByRole('dialog').getByLabel('原因').fill('客户来电要求删除个人信息')
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click()
  // then the warning that it cannot be undone
  await expect(page.getByText('删除后无法恢复', { exact: false })).toBeVisible()
  await page
    .locator('.ant-modal-confirm')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click()
  await expect(page.getByText(/已删除：.*凭证 #\d+/)).toBeVisible()
  // nothing left under the number: only the proof
  await expect(page.getByTestId('privacy-counts')).toContainText('投诉 0 · 免打扰 0')
  await expect(page.getByTestId('privacy-customer').getByText('删除凭证', { exact: true })).toBeVisible()
  await expect(page.getByText('客户来电要求删除个人信息')).toBeVisible()
  // still stopped, by the number's keyed hash
  expect(await sup.call('dnc.check', { phone: PHONE })).toMatchObject({ ok: true, value: { blocked: true } })
  // retention: a dry run says what would go and removes nothing
  await page.getByTestId('retention-dry').click()
  await expect(page.getByTestId('retention-report')).toContainText('未成交线索')
  await page.screenshot({ path: 'test-results/compliance-privacy.png', fullPage: true })
  sup.close()
})

test('an operator registers the customer’s 骚扰 complaint on the call in hand; QA sees the case with its call, and the number is stopped', async ({
  page
}) => {
  test.setTimeout(90_000)
  const op = await newOperator('cmpl')
  await loginUi(page, op.username, op.password)
  await page
    .getByRole('button', { name: /下一条/ })
    .first()
    .click()
  await page.getByRole('button', { name: /拨打/ }).click()
  await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
  await page.getByTestId('desk-complaint').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('类别').click()
  await page.getByTitle('骚扰/频繁来电').click()
  await dialog.getByLabel('投诉内容').fill('客户说一周内接到五次电话')
  await expect(dialog.getByLabel('号码')).toHaveCount(0)
  await dialog.getByRole('button', { name: '登记投诉' }).click()
  await expect(page.getByText(/已登记投诉 #\d+/)).toBeVisible()
  await page.screenshot({ path: 'test-results/compliance-desk.png' })
  await page.getByRole('button', { name: /挂\s*断/ }).click()
  const qa = await hubAs('qa')
  const cases = await must<{ summary: string; channel: string; onDnc: boolean; calls: { callId: number }[] }[]>(
    qa,
    'complaints.list',
    {}
  )
  const mine = cases.find((c) => c.summary === '客户说一周内接到五次电话')!
  expect(mine).toMatchObject({ channel: 'call', onDnc: true })
  expect(mine.calls).toHaveLength(1)
  qa.close()
})
