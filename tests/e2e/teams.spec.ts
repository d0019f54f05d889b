import { expect, test, type Page } from '@playwright/test'
import { hubAs, loginUi, must, newOperator } from './support'

/** An option of the Ant Design select that is open now (its visible list, not the hidden one for screen readers). */
const option = (page: Page, name: string | RegExp) =>
  page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: name })

test.use({ viewport: { width: 1366, height: 768 } })

test('an administrator makes two teams and moves an operator between them, edits a 工号; a supervisor’s wallboard shows their own team; QA’s operator filter lists the operators without a refusal', async ({
  browser
}) => {
  test.setTimeout(150_000)
  const admin = await hubAs('admin')
  const operator = await newOperator('team')
  const n = String(Date.now() % 100_000)
  const [a, b] = [`早班${n}`, `晚班${n}`]

  // 用户管理 → 班组: two teams of 赵磊's, the new operator in the first
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await loginUi(page, 'admin')
  await page.getByRole('menuitem', { name: '用户管理' }).click()
  await page.getByRole('tab', { name: '班组' }).click()
  for (const [name, members] of [
    [a, [operator.displayName]],
    [b, []]
  ] as const) {
    await page.getByRole('button', { name: /新建班组/ }).click()
    const form = page.getByTestId('team-form')
    await form.getByLabel('班组名称').fill(name)
    await form.getByLabel('班组主管').click()
    await option(page, '赵磊').click()
    for (const m of members) {
      await form.getByLabel('坐席').click()
      await page.keyboard.type(m)
      await option(page, m).click()
    }
    // Escape closes the 坐席 list left open; with no list open it would close the dialog itself
    if (members.length) {
      await page.keyboard.press('Escape')
      await expect(page.locator('.ant-select-dropdown:visible')).toHaveCount(0)
    }
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /保\s*存/ })
      .click()
    await expect(page.getByText('班组已保存').last()).toBeVisible()
    await expect(page.getByTestId('teams').getByRole('row', { name: new RegExp(name) })).toContainText('赵磊')
  }
  await expect(page.getByTestId('teams').getByRole('row', { name: new RegExp(a) })).toContainText(operator.displayName)

  // moved to the other team: picked there, they leave the first
  await page
    .getByTestId('teams')
    .getByRole('row', { name: new RegExp(b) })
    .getByRole('button', { name: /编\s*辑/ })
    .click()
  const form = page.getByTestId('team-form')
  await form.getByLabel('坐席').click()
  await page.keyboard.type(operator.displayName)
  // offered with the team they are in now
  await option(page, `${operator.displayName}（${a}）`).click()
  await page.keyboard.press('Escape')
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /保\s*存/ })
    .click()
  await expect(page.getByTestId('teams').getByRole('row', { name: new RegExp(b) })).toContainText(operator.displayName)
  await expect(page.getByTestId('teams').getByRole('row', { name: new RegExp(a) })).not.toContainText(
    operator.displayName
  )
  const { teams } = await must<{ teams: { id: number; name: string; memberIds: number[] }[] }>(admin, 'teams.list', {})
  const users = await must<{ id: number; username: string; staffNo: string | null; teamId: number | null }[]>(
    admin,
    'users.list',
    {}
  )
  const me = users.find((u) => u.username === operator.username)!
  expect(me.teamId).toBe(teams.find((t) => t.name === b)!.id)

  // 编辑 a user: a new 工号
  await page.getByRole('tab', { name: '用户' }).click()
  await page.getByTestId(`edit-${operator.username}`).click()
  const edit = page.getByTestId('user-edit')
  await expect(edit.getByLabel('工号')).toHaveValue(me.staffNo!)
  await edit.getByLabel('工号').fill(`E${n}`)
  await page.getByTestId('user-save').click()
  await expect(page.getByText('用户已更新')).toBeVisible()
  await expect
    .poll(
      async () =>
        (await must<{ username: string; staffNo: string }[]>(admin, 'users.list', {})).find(
          (u) => u.username === operator.username
        )?.staffNo
    )
    .toBe(`E${n}`)
  await ctx.close()

  // 赵磊's wallboard: his teams (二组 with 黄丽, and the moved operator), not 李娜's 一组 (王芳)
  const supCtx = await browser.newContext()
  const sup = await supCtx.newPage()
  await loginUi(sup, 'supervisor2')
  await sup.getByRole('menuitem', { name: '实时看板' }).click()
  const agents = sup.getByRole('table').first()
  await expect(agents).toContainText('黄丽')
  await expect(agents).toContainText(operator.displayName)
  await expect(agents).not.toContainText('王芳')
  await expect(sup.getByTestId('team-scope')).toContainText('我的班组')
  // all teams, when asked for
  await sup.getByTestId('team-scope').click()
  await option(sup, '全部班组').click()
  await expect(agents).toContainText('王芳')
  await supCtx.close()

  // QA's 录音库: the operator filter lists the operators, and nothing was refused to get them
  const before = (await must<unknown[]>(admin, 'audit.list', { action: 'access.denied', limit: 500 })).length
  const qaCtx = await browser.newContext()
  const qa = await qaCtx.newPage()
  await loginUi(qa, 'qa')
  await qa.getByRole('menuitem', { name: '录音库' }).click()
  // (searchable: the list is long once every test has made its operator)
  for (const name of ['王芳', '陈强', '黄丽']) {
    await qa.getByTestId('operator-filter').click()
    await qa.keyboard.type(name)
    await expect(option(qa, name)).toBeVisible()
    await qa.keyboard.press('Escape')
  }
  expect((await must<unknown[]>(admin, 'audit.list', { action: 'access.denied', limit: 500 })).length).toBe(before)
  await qaCtx.close()
  admin.close()
})
