import { expect, test } from '@playwright/test'
import ExcelJS from 'exceljs'
import { campaignForNewOperator, centreDay, hubAs, loginUi } from './support'

test('the wallboard follows an operator in another browser as they take a call and finish it, without reloading', async ({
  browser
}) => {
  test.setTimeout(120_000)
  const n = String(Date.now() % 10_000_000).padStart(7, '0')
  const { op } = await campaignForNewOperator(`看板${n}`, {}, `姓名,手机\n看板客户${n},1705${n}\n`, 'wall')
  const supCtx = await browser.newContext()
  const opCtx = await browser.newContext()
  try {
    const sup = await supCtx.newPage()
    await loginUi(sup, 'supervisor')
    await sup.getByRole('menuitem', { name: '实时看板' }).click()
    const row = sup.getByTestId('agent-board').getByRole('row').filter({ hasText: op.displayName })
    await expect(row).toContainText('离线')
    await expect(sup.getByTestId('queue-health').first()).toContainText('现在可拨')

    const page = await opCtx.newPage()
    await loginUi(page, op.username, op.password)
    await expect(page.getByTestId('agent-state')).toHaveText('就绪', { timeout: 15_000 })
    await expect(row).toContainText('就绪', { timeout: 10_000 })
    await page.keyboard.press('Alt+N')
    await expect(page.getByTestId('customer-card').getByLabel('姓名')).toHaveValue(`看板客户${n}`)
    await page.keyboard.press('Alt+D')
    await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
    await expect(row).toContainText('通话中', { timeout: 10_000 })
    await page.keyboard.press('Alt+H')
    await expect(row).toContainText('话后整理', { timeout: 10_000 })
    await page.keyboard.press('Alt+4') // 无人接听
    await page.keyboard.press('Control+Enter')
    await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
    await expect(row).toContainText('就绪', { timeout: 10_000 })
  } finally {
    await Promise.all([supCtx.close(), opCtx.close()])
  }
})

test('a report exports an XLSX whose cells are the figures on the screen', async ({ page }) => {
  test.setTimeout(90_000)
  await loginUi(page, 'supervisor')
  await page.getByRole('menuitem', { name: '统计报表' }).click()
  // the hub's day in the centre (its clock runs from a Monday morning in Nanning)
  const day = centreDay()
  await page.getByPlaceholder('开始日期').click()
  await page.keyboard.press('Control+A')
  await page.keyboard.type(day)
  await page.keyboard.press('Enter')
  await page.keyboard.press('Control+A')
  await page.keyboard.type(day)
  await page.keyboard.press('Enter')
  const table = page.getByTestId('operators-report')
  await expect(table.locator('tbody tr.ant-table-row').first()).toBeVisible({ timeout: 15_000 })
  const onScreen = () =>
    table
      .locator('tbody tr.ant-table-row')
      .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent ?? '')))
  // The other specs make calls on the same hub meanwhile, and the report follows them live: compare
  // with what the screen showed both before and after the export (the same figures), else export again.
  let screen: string[][] = []
  let ws!: ExcelJS.Worksheet
  await expect(async () => {
    screen = await onScreen()
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()])
    expect(dl.suggestedFilename()).toMatch(/^坐席报表-.*\.xlsx$/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile((await dl.path())!)
    ws = wb.worksheets[0]
    expect(await onScreen()).toEqual(screen)
    // the file is made by the hub as the request arrives; a call finished elsewhere just before may be on
    // the screen a moment later: compare, and export again if the screen had not caught up yet
    expect(ws.getRow(1).getCell(1).value).toBe('坐席')
    expect(ws.rowCount - 1).toBe(screen.length)
    screen.forEach((cells, i) => {
      const row = ws.getRow(i + 2)
      // operator, calls, connected, connect rate, talk, handle time, successes, conversion
      expect(String(row.getCell(1).value)).toBe(cells[0])
      for (const c of [2, 3, 5, 6, 7]) expect(String(row.getCell(c).value)).toBe(cells[c - 1])
      for (const c of [4, 8]) expect(`${(Number(row.getCell(c).value) * 100).toFixed(1)}%`).toBe(cells[c - 1])
    })
  }).toPass({ timeout: 45_000 })
})

test('a seat whose clock is days off and in another zone shows the centre’s day everywhere, and says so', async ({
  browser
}) => {
  test.setTimeout(90_000)
  const ctx = await browser.newContext({ timezoneId: 'America/New_York' })
  const page = await ctx.newPage()
  try {
    // this browser's clock runs 40 days and 7 hours ahead of the machine's (which is itself far from the hub's)
    await page.clock.install({ time: new Date(Date.now() + 40 * 86_400_000 + 7 * 3_600_000) })
    await loginUi(page, 'supervisor')
    await expect(page.getByTestId('seat-clock-notice')).toContainText('本机时钟与中心相差约', { timeout: 30_000 })
    await expect(page.getByTestId('seat-clock-notice')).toContainText(centreDay())
    const day = centreDay()
    for (const [menu, placeholder] of [
      ['统计报表', '开始日期'],
      ['派单跟踪', '开始日期']
    ]) {
      await page.getByRole('menuitem', { name: menu }).click()
      // the default period is the centre's today, not the seat's
      await expect(page.getByPlaceholder(placeholder).first()).toHaveValue(day)
      await expect(page.getByPlaceholder('结束日期').first()).toHaveValue(day)
    }
  } finally {
    await ctx.close()
  }
})

test('统计报表’s charts: the legend stays clear of the axis labels; a period without data says 暂无数据', async ({
  page
}) => {
  test.setTimeout(90_000)
  // an operator paused today is in the report (with no calls)
  const op = await hubAs('op2')
  expect((await op.call('desk.setState', { state: 'paused', reason: 'break' })).ok).toBe(true)
  op.close()
  await loginUi(page, 'supervisor')
  await page.getByRole('menuitem', { name: '统计报表' }).click()
  const chart = page.getByTestId('operators-chart')
  await expect(chart.locator('svg text').filter({ hasText: '陈强' })).toBeVisible({ timeout: 15_000 })
  const boxes = await chart.locator('svg text').evaluateAll((els) =>
    els.map((e) => ({
      text: e.textContent ?? '',
      ...(JSON.parse(JSON.stringify(e.getBoundingClientRect())) as DOMRect)
    }))
  )
  const legend = boxes.filter((b) => ['呼叫', '接通', '成功'].includes(b.text))
  const labels = boxes.filter((b) => !['呼叫', '接通', '成功'].includes(b.text) && b.text.trim())
  expect(legend.length).toBe(3)
  for (const l of legend)
    for (const a of labels)
      expect(
        l.x < a.x + a.width && a.x < l.x + l.width && l.y < a.y + a.height && a.y < l.y + l.height,
        `legend “${l.text}” over “${a.text}”`
      ).toBe(false)

  // a day long ago: nothing to chart, and the page says so
  for (const placeholder of ['开始日期', '结束日期']) {
    await page.getByPlaceholder(placeholder).first().click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('2020-01-06')
    await page.keyboard.press('Enter')
  }
  await expect(page.getByTestId('operators-chart')).toHaveAttribute('data-empty', 'true')
  await expect(page.getByTestId('operators-chart')).toContainText('暂无数据')
  await page.getByRole('tab', { name: '转化漏斗' }).click()
  await expect(page.getByTestId('funnel-chart')).toContainText('暂无数据')
})
