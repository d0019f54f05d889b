import { expect, test, type Page } from '@playwright/test'
import { DEMO_PASSWORD, loginUi } from './support'

/** What each role finds in its navigation, as the Chinese UI names it. */
const NAV_BY_ROLE: Record<string, { user: string; nav: string[]; absent: string[] }> = {
  operator: {
    user: 'op1',
    nav: ['拨号工作台', '我的线索', '预约回拨', '回访', '我的质检', '个人设置', '关于'],
    absent: ['用户管理', '名单池', '质检队列', '投诉', '个人信息']
  },
  qa: {
    user: 'qa',
    nav: ['质检队列', '录音库', '投诉', '个人设置', '关于'],
    absent: ['拨号工作台', '用户管理', '名单导入', '个人信息']
  },
  supervisor: {
    user: 'supervisor',
    nav: [
      '录音库',
      '申诉与退回',
      '实时看板',
      '名单池',
      '名单导入',
      '批次分配',
      '活动设置',
      '派单跟踪',
      '统计报表',
      '用户管理',
      '审计日志',
      '投诉',
      '外显号码',
      '短信',
      '个人设置',
      '关于'
    ],
    absent: ['拨号工作台', '系统设置', '个人信息']
  },
  leader: { user: 'leader_qx', nav: ['本区派单', '地面人员', '个人设置', '关于'], absent: ['名单池', '用户管理'] },
  field_agent: { user: 'agent_qx1', nav: ['我的拜访', '个人设置', '关于'], absent: ['本区派单', '拨号工作台'] },
  admin: {
    user: 'admin',
    nav: ['用户管理', '审计日志', '系统设置', '投诉', '个人信息', '外显号码', '短信', '集成接口', '个人设置', '关于'],
    absent: ['拨号工作台', '名单池']
  }
}

function navItems(page: Page) {
  return page.getByRole('navigation', { name: 'main' }).getByRole('menuitem')
}

for (const [role, { user, nav, absent }] of Object.entries(NAV_BY_ROLE)) {
  test(`${role} logs in and sees their own workspaces`, async ({ page }) => {
    await loginUi(page, user, DEMO_PASSWORD)
    await expect(page.getByTestId('current-user')).toBeVisible()
    await expect(navItems(page)).toHaveText(nav)
    for (const label of absent) await expect(page.getByRole('menuitem', { name: label })).toHaveCount(0)
    // every workspace in the menu opens
    await navItems(page).last().click()
    await expect(page.getByText('关于线索通')).toBeVisible()
    await expect(page.getByText('团队服务器（Hub）')).toBeVisible()
  })
}

test('a wrong password gets a clear message in Chinese, and nothing opens', async ({ page }) => {
  await loginUi(page, 'op2', 'not-the-password')
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误')
  await expect(page.getByTestId('current-user')).toHaveCount(0)
  await expect(page.getByLabel('密码')).toHaveValue('')
})

test('an empty field says what is missing beside it, and nothing is sent', async ({ page }) => {
  await page.goto('/')
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await expect(page.getByRole('alert')).toHaveText(['请输入用户名', '请输入密码'])
  await expect(page.getByLabel('用户名')).toHaveAttribute('aria-invalid', 'true')
  await page.getByLabel('用户名').fill('op1')
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await expect(page.getByRole('alert')).toHaveText('请输入密码')
  await expect(page.getByTestId('current-user')).toHaveCount(0)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await expect(page.getByTestId('current-user')).toBeVisible()
})

test('switching to English switches the UI, and it stays after a reload', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('button', { name: /登\s*录/ })).toBeVisible()
  await page.getByText('English', { exact: true }).click()
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible()
  await expect(page.getByText('Demo mode: log in with one of these accounts')).toBeVisible()
  await page.getByLabel('User name').fill('supervisor')
  await page.getByLabel('Password').fill('wrong-password-1')
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page.getByRole('alert')).toHaveText('Wrong user name or password')
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(navItems(page).first()).toHaveText('Recordings')
  await expect(page.getByRole('menuitem', { name: 'Lead pool' })).toBeVisible()
  await page.reload()
  // the session and the language both survive a reload
  await expect(page.getByRole('menuitem', { name: 'Lead pool' })).toBeVisible()
  await page.getByText('中文', { exact: true }).click()
  await expect(page.getByRole('menuitem', { name: '名单池' })).toBeVisible()
})

test('an administrator adds an operator in the UI, who can then log in', async ({ page, browser }) => {
  // Unique per run: the hub's data outlives a single test when it is repeated.
  const suffix = String(Date.now() % 100_000)
  const username = `e2e_op${suffix}`
  await loginUi(page, 'admin', DEMO_PASSWORD)
  await page.getByRole('button', { name: /新增用户/ }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('用户名').fill(username)
  await dialog.getByLabel('姓名').fill('测试坐席')
  // type to pick, as people do with a long list
  // Type to filter, then take the option; on a busy machine the list may still be moving, so retry.
  await expect(async () => {
    await dialog.getByLabel('角色').click()
    await dialog.getByLabel('角色').fill('坐席')
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="坐席"]')
      .click({ timeout: 2000 })
    await expect(dialog.getByTitle('坐席')).toBeVisible({ timeout: 2000 })
  }).toPass({ timeout: 20_000 })
  await dialog.getByLabel('工号').fill(`7${suffix}`)
  await dialog.getByLabel('密码').fill('e2e-secret-1')
  await dialog.getByRole('button', { name: /新\s*建/ }).click()
  await expect(page.getByRole('cell', { name: username })).toBeVisible()

  const other = await browser.newPage()
  await loginUi(other, username, 'e2e-secret-1')
  await expect(other.getByTestId('current-user')).toContainText('测试坐席')
  await expect(other.getByRole('menuitem', { name: '拨号工作台' })).toBeVisible()
  await other.close()

  // the audit log says it in words (action, object, details), the raw record one click away
  await page.getByRole('menuitem', { name: '审计日志' }).click()
  const row = page
    .getByTestId('audit-log')
    .getByRole('row')
    .filter({ hasText: '新增用户' })
    .filter({ hasText: username })
    .first()
  // the entry names the user it is about, not only their number
  await expect(row).toContainText(`（${username}）`)
  await expect(row).not.toContainText('用户 #')
  await expect(row).toContainText(`用户名：${username}`)
  await expect(row).toContainText('角色：坐席')
  await expect(page.getByTestId('audit-log')).not.toContainText('users.create')
  await row.getByRole('button', { name: /expand|展开/i }).click()
  await expect(page.getByTestId('audit-raw').first()).toContainText('"action": "users.create"')
})

test('a page the desktop reopened after a crash says so once, and the address loses the flag', async ({ page }) => {
  await page.goto('/?recovered=crashed')
  await expect(page.getByText('界面意外退出，已自动重新打开')).toBeVisible()
  await expect(page.getByText('未保存的通话结果仍保留在本机')).toBeVisible()
  expect(new URL(page.url()).search).toBe('')
})

test('a seat that keeps its login is back at work after the browser restarts (a power cut), with no password; one that does not, is asked again', async ({
  browser
}) => {
  // kept (the default): the browser's storage survives the restart, the tab's does not
  const first = await browser.newContext()
  const page = await first.newPage()
  await page.goto('/')
  await expect(page.getByLabel('在这台电脑上保持登录')).toBeChecked()
  await loginUi(page, 'qa')
  await expect(page.getByTestId('current-user')).toBeVisible()
  const kept = await first.storageState()
  await first.close()
  const after = await browser.newContext({ storageState: kept })
  const back = await after.newPage()
  await back.goto('/')
  await expect(back.getByTestId('current-user')).toBeVisible()
  await expect(back.getByLabel('用户名')).toHaveCount(0)
  // logging out forgets it
  await back.getByRole('button', { name: '退出登录' }).click()
  await expect(back.getByLabel('用户名')).toBeVisible()
  const loggedOut = await after.storageState()
  await after.close()
  const again = await browser.newContext({ storageState: loggedOut })
  const asked = await again.newPage()
  await asked.goto('/')
  await expect(asked.getByLabel('用户名')).toBeVisible()

  // not kept (a shared computer): the restart asks for the password
  await asked.getByLabel('在这台电脑上保持登录').uncheck()
  await asked.getByLabel('用户名').fill('qa')
  await asked.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD)
  await asked.getByRole('button', { name: /登\s*录/ }).click()
  await expect(asked.getByTestId('current-user')).toBeVisible()
  const shared = await again.storageState()
  await again.close()
  const restarted = await browser.newContext({ storageState: shared })
  const later = await restarted.newPage()
  await later.goto('/')
  await expect(later.getByLabel('用户名')).toBeVisible()
  await expect(later.getByLabel('在这台电脑上保持登录')).not.toBeChecked()
  await restarted.close()
})
