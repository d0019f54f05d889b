import { expect, test, type Page } from '@playwright/test'
import { DEMO_PASSWORD, loginUi } from './support'

/** What only other roles' pages carry: the softphone, the QA player, the charts, the desk, QA and the reports. */
const NOT_FOR_THE_FIELD = ['SIP.js/', 'wavesurfer', 'echarts', 'desk.next', 'qa.submit', 'reports.funnel']

/** Every script the page receives, with its text. */
function scriptsOf(page: Page): Map<string, string> {
  const scripts = new Map<string, string>()
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'script') return
    void r.text().then(
      (body) => scripts.set(new URL(r.url()).pathname, body),
      () => {}
    )
  })
  return scripts
}

test.describe('a field agent’s phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

  test('downloads 我的拜访 and the shell, none of the desk, QA or reports code, and no source maps', async ({
    page
  }) => {
    const scripts = scriptsOf(page)
    await loginUi(page, 'agent_qx1')
    await expect(page.getByTestId('page-title')).toHaveText('我的拜访')
    await page.getByTestId('phone-menu').click()
    await page.getByRole('menuitem', { name: '个人设置' }).click()
    await expect(page.getByTestId('page-title')).toHaveText('个人设置')
    await page.waitForLoadState('networkidle')
    // the visits page's code did arrive (so the check below looks at real downloads)
    expect([...scripts.values()].some((s) => s.includes('dispatch.myVisits'))).toBe(true)
    for (const [path, body] of scripts) {
      for (const marker of NOT_FOR_THE_FIELD) expect(body.includes(marker), `${path} holds ${marker}`).toBe(false)
      expect(body, `${path} points at a source map`).not.toMatch(/sourceMappingURL/)
      const map = await page.request.get(`${path}.map`)
      expect(map.status(), `${path}.map`).toBe(404)
    }
  })
})

test.describe('a field agent’s first page', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

  test('comes without Ant Design, which arrives with the first page that needs it', async ({ page }) => {
    const scripts = scriptsOf(page)
    // Ant Design's style engine marks the styles it writes with this attribute
    const antDesign = () => [...scripts.values()].some((s) => s.includes('data-token-hash'))
    await page.goto('/')
    // the plain login button wears the theme's blue, as Ant Design's primary button does
    await expect(page.getByRole('button', { name: /登\s*录/ })).toHaveCSS('background-color', 'rgb(21, 101, 192)')
    await page.getByLabel('用户名').fill('agent_qx1')
    await page.getByLabel('密码').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: /登\s*录/ }).click()
    await expect(page.getByTestId('page-title')).toHaveText('我的拜访')
    await expect(page.getByTestId('visits').or(page.getByText('暂无拜访安排'))).toBeVisible()
    await page.waitForLoadState('networkidle')
    expect([...scripts.values()].some((s) => s.includes('dispatch.myVisits'))).toBe(true)
    expect(antDesign()).toBe(false)
    await page.getByTestId('phone-menu').click()
    await page.getByRole('menuitem', { name: '个人设置' }).click()
    await expect(page.getByTestId('page-title')).toHaveText('个人设置')
    await expect(page.locator('.ant-card').first()).toBeVisible()
    expect(antDesign()).toBe(true)
  })
})

test('a seat fetches, while its login page shows, the page it landed on last time (the desk on a new seat)', async ({
  page
}) => {
  const requested: string[] = []
  page.on('request', (r) => requested.push(new URL(r.url()).pathname))
  await page.goto('/')
  await expect(page.getByRole('button', { name: /登\s*录/ })).toBeVisible()
  await expect.poll(() => requested.some((p) => /\/assets\/DeskPage-[^/]+\.js$/.test(p))).toBe(true)
  // a supervisor lands on the recordings; logged out, this seat's login page fetches them, not the desk
  await page.getByLabel('用户名').fill('supervisor')
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await expect(page.getByRole('menuitem', { name: '录音库' })).toHaveClass(/ant-menu-item-selected/)
  await page.getByRole('button', { name: /退出登录/ }).click()
  await expect(page.getByRole('button', { name: /登\s*录/ })).toBeVisible()
  const fresh = await page.context().newPage()
  const again: string[] = []
  fresh.on('request', (r) => again.push(new URL(r.url()).pathname))
  await fresh.goto('/')
  await expect(fresh.getByRole('button', { name: /登\s*录/ })).toBeVisible()
  await expect.poll(() => again.some((p) => /\/assets\/RecordingsPage-[^/]+\.js$/.test(p))).toBe(true)
  expect(again.some((p) => /\/assets\/DeskPage-/.test(p))).toBe(false)
})

test('a page whose code is still on its way shows its outline, then the page', async ({ page }) => {
  // the reports' code takes a while (a slow line), everything else is as usual
  let release!: () => void
  const held = new Promise<void>((r) => (release = r))
  await page.route(/\/assets\/ReportsPage-[^/]+\.js$/, async (route) => {
    await held
    await route.continue()
  })
  await loginUi(page, 'supervisor')
  await page.getByRole('menuitem', { name: '统计报表' }).click()
  await expect(page.getByTestId('page-loading')).toBeVisible()
  await expect(page.getByTestId('page-loading').locator('.ant-skeleton')).toBeVisible()
  release()
  await expect(page.getByTestId('page-loading')).toHaveCount(0)
  await expect(page.getByRole('tab', { name: '班组报表' })).toBeVisible()
})

test('an operator’s desk comes with the login: its code is fetched before the desk is opened', async ({ page }) => {
  const scripts = scriptsOf(page)
  await loginUi(page, 'op1', undefined, '/#/callbacks')
  await expect(page.getByRole('menuitem', { name: /预约回拨/ })).toHaveClass(/ant-menu-item-selected/)
  await expect(page.getByTestId('page-loading')).toHaveCount(0)
  await expect(page.getByRole('button', { name: /下一条/ })).toHaveCount(0)
  await expect.poll(() => [...scripts.values()].some((s) => s.includes('desk.next')), { timeout: 10_000 }).toBe(true)
})
