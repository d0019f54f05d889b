import { expect, test, type Page } from '@playwright/test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { campaignForNewOperator, hubAs, loginUi, must } from './support'

test.use({ viewport: { width: 1366, height: 768 } })

/** Picks an option of an Ant Design select by its text. */
async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click()
  await page.locator('.ant-select-item-option').filter({ hasText: option }).first().click()
}

test('a supervisor runs a new campaign from the UI: creates it, imports a list into it and allocates from it', async ({
  page
}) => {
  test.setTimeout(150_000)
  const n = `${Date.now() % 1_000_000}`.padStart(6, '0')
  const campaign = `首周活动${n}`
  const source = `首周名单${n}`
  await loginUi(page, 'supervisor')

  await page.getByRole('menuitem', { name: '活动设置' }).click()
  await page.getByLabel('新活动名称').fill(campaign)
  await page.getByRole('button', { name: /^新\s*建$/ }).click()
  await expect(page.getByRole('row', { name: new RegExp(campaign) })).toBeVisible()

  await page.getByRole('menuitem', { name: '名单导入' }).click()
  const file = join(mkdtempSync(join(tmpdir(), 'leadline-e2e-week-')), `${source}.csv`)
  writeFileSync(
    file,
    `姓名,手机,地址\n${[0, 1, 2].map((i) => `首周客户${i},1708${n}${i},南宁市青秀区民族大道${i}号`).join('\n')}\n`
  )
  await page.locator('input[type=file]').setInputFiles(file)
  await expect(page.getByRole('cell', { name: '首周客户0', exact: true })).toBeVisible()
  // the list goes into the campaign the supervisor picks
  await choose(page, 'import-campaign', campaign)
  const result = page.getByTestId('import-result')
  // one import at a time on the hub: another test's may be running; the page says so and the button stays
  await expect(async () => {
    await page.getByRole('button', { name: '开始导入' }).click()
    await expect(result).toBeVisible({ timeout: 10_000 })
  }).toPass({ timeout: 90_000 })
  await expect(page.getByRole('row', { name: new RegExp(source) })).toContainText(campaign)
  const sup = await hubAs('supervisor')
  try {
    const rows = (await must<{ rows: { name: string; batchId: number }[] }>(sup, 'leads.search', { q: '首周客户' }))
      .rows
    const batches = await must<{ id: number; campaignName: string; source: string }[]>(sup, 'leads.batches', {})
    const ours = batches.find((b) => b.source === source)!
    expect(ours.campaignName).toBe(campaign)
    expect(rows.filter((r) => r.batchId === ours.id)).toHaveLength(3)
  } finally {
    sup.close()
  }

  // the day's batches come from the campaign chosen: its list is what the plan draws on
  await page.getByRole('menuitem', { name: '批次分配' }).click()
  await choose(page, 'alloc-campaign', campaign)
  await page.getByRole('button', { name: /^预\s*览$/ }).click()
  await expect(page.getByText(`${source} 1`).first()).toBeVisible()
  await expect(page.locator('.ant-tag').filter({ hasText: '演示活动' })).toHaveCount(0)
})

test('the operator sees the campaign of the lead; a second tab of the same operator is refused until it takes over, and the first is told', async ({
  page
}) => {
  test.setTimeout(120_000)
  const n = `${Date.now() % 100_000}`.padStart(5, '0')
  const name = `双开活动${n}`
  const { op } = await campaignForNewOperator(
    name,
    {},
    `姓名,手机,地址\n双开客户${n},170777${n},南宁市青秀区民族大道1号\n`,
    'deskseat'
  )
  await loginUi(page, op.username, op.password)
  await expect(page.getByTestId('agent-state')).toHaveText('就绪', { timeout: 15_000 })
  await page.keyboard.press('Alt+N')
  await expect(page.getByTestId('lead-campaign')).toHaveText(`活动：${name}`)
  await expect(page.getByTestId('customer-card').getByLabel('姓名')).toHaveValue(`双开客户${n}`)

  // the same operator opens the desk in another tab (the login is kept on this computer)
  const second = await page.context().newPage()
  await second.goto('/')
  await expect(second.getByTestId('agent-state')).toBeVisible({ timeout: 15_000 })
  await second.keyboard.press('Alt+N')
  await expect(second.getByTestId('desk-elsewhere')).toContainText('一个账号同时只在一处拨号')
  await expect(second.getByTestId('customer-card')).toBeHidden()
  // taking over: the same lead here, and the first tab stops and says so
  await second.getByRole('button', { name: '在这里继续' }).click()
  await expect(second.getByTestId('customer-card').getByLabel('姓名')).toHaveValue(`双开客户${n}`)
  await expect(page.getByTestId('desk-elsewhere')).toContainText('已停止取线索和拨号')
  await expect(page.getByTestId('customer-card')).toBeHidden()
  await page.keyboard.press('Alt+D')
  await expect(page.getByTestId('desk-elsewhere')).toBeVisible()
  const sup = await hubAs('supervisor')
  try {
    // the first tab's dial was refused: the lead has not been dialled
    const found = await must<{ rows: { attempts: number }[] }>(sup, 'leads.search', { q: `双开客户${n}` })
    expect(found.rows).toMatchObject([{ attempts: 0 }])
  } finally {
    sup.close()
  }
  await second.close()
})
