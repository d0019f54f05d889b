import { expect, test } from '@playwright/test'
import { loginUi } from './support'

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

/** Whether two boxes overlap. */
const overlap = (
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number }
) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

test('a field agent’s phone: a header of its own (menu, title on one line), the name, the language and logging out in the menu', async ({
  page
}) => {
  test.setTimeout(60_000)
  await loginUi(page, 'agent_qx1')
  const header = page.getByTestId('phone-header')
  await expect(header).toBeVisible({ timeout: 15_000 })
  const title = page.getByTestId('page-title')
  await expect(title).toHaveText('我的拜访')
  const [menuBox, titleBox, headerBox] = await Promise.all([
    page.getByTestId('phone-menu').boundingBox(),
    title.boundingBox(),
    header.boundingBox()
  ])
  // nothing floats over the title; the title is one line inside the header, the header fits the screen
  expect(overlap(menuBox!, titleBox!)).toBe(false)
  expect(titleBox!.height).toBeLessThan(30)
  expect(titleBox!.y).toBeGreaterThanOrEqual(headerBox!.y)
  expect(titleBox!.y + titleBox!.height).toBeLessThanOrEqual(headerBox!.y + headerBox!.height + 1)
  expect(headerBox!.width).toBeLessThanOrEqual(390)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

  await page.getByTestId('phone-menu').click()
  const who = page.getByTestId('current-user')
  // once the menu has slid in
  await expect
    .poll(async () => (await page.getByText('English', { exact: true }).boundingBox())?.x ?? -1)
    .toBeGreaterThanOrEqual(0)
  await expect(who).toContainText('蒙志刚')
  // the name on one line, not one character per line
  const name = await who.getByText('蒙志刚').boundingBox()
  expect(name!.height).toBeLessThan(30)
  expect(name!.width).toBeGreaterThan(30)
  // "English" whole and inside the screen
  const english = page.getByText('English', { exact: true })
  await expect(english).toBeVisible()
  const e = await english.boundingBox()
  expect(e!.x).toBeGreaterThanOrEqual(0)
  expect(e!.x + e!.width).toBeLessThanOrEqual(390)
  await english.click()
  await expect(page.getByTestId('page-title')).toHaveText('My visits')
  await page.getByText('中文', { exact: true }).click()
  await expect(page.getByRole('button', { name: /退出登录/ })).toBeVisible()
  await page.screenshot({ path: 'test-results/phone-menu.png' })
  // the open menu keeps the keyboard inside it; Escape closes it and gives the focus back to its button
  const menu = page.getByRole('dialog', { name: '菜单' })
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab')
    expect(await menu.evaluate((m) => m.contains(document.activeElement))).toBe(true)
  }
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('phone-menu')).toBeFocused()
  await expect(page.getByRole('button', { name: /退出登录/ })).toBeHidden()
})
