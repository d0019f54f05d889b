import { expect, test } from '@playwright/test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hubAs, loginUi, must } from './support'

test.use({ viewport: { width: 1366, height: 768 } })

test('day one at 1366×768: the pool’s columns fit the screen, campaigns’ days read 周一至周日, the demo’s customers’ genders fit their names', async ({
  page
}) => {
  test.setTimeout(90_000)
  await loginUi(page, 'supervisor')
  await page.getByRole('menuitem', { name: '名单池' }).click()
  const header = page.getByRole('columnheader', { name: '入池时间' })
  await expect(header).toBeVisible({ timeout: 15_000 })
  const cell = await header.boundingBox()
  const body = await page.locator('.ant-table-container').first().boundingBox()
  expect(cell!.x + cell!.width).toBeLessThanOrEqual(body!.x + body!.width + 1)
  expect(cell!.x + cell!.width).toBeLessThanOrEqual(1366)
  // every column shows at once: nothing scrolls sideways, so no column sits over another
  const holder = page.locator('.ant-table-tbody-virtual-holder').first()
  await expect(page.getByRole('columnheader', { name: '年龄' })).toBeVisible()
  expect(await holder.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(1)

  await page.getByRole('menuitem', { name: '活动设置' }).click()
  await expect(page.getByRole('row', { name: /演示活动/ })).toContainText('周一至周日 09:00–21:00')

  // every demo customer's gender fits the name (秀英 is a woman's name, 志强 a man's)
  const sup = await hubAs('supervisor')
  const rows = (await must<{ rows: { name: string; gender: 'M' | 'F' | null }[] }>(sup, 'leads.search', { limit: 200 }))
    .rows
  sup.close()
  const female = ['秀英', '丽娟', '海燕', '春梅', '美玲', '桂兰', '晓燕', '玉珍']
  const male = ['建华', '志强', '国庆', '小军', '文杰', '永福', '德明', '家宝']
  const demo = rows.filter((r) => [...female, ...male].some((g) => r.name.endsWith(g)))
  expect(demo.length).toBeGreaterThan(100)
  for (const r of demo) expect(r.gender, r.name).toBe(female.some((g) => r.name.endsWith(g)) ? 'F' : 'M')
})

test('系统设置 in sections, each with its units and its own save; what only works in the desktop app is not offered in a browser', async ({
  page
}) => {
  test.setTimeout(90_000)
  await loginUi(page, 'admin')
  await page.getByRole('menuitem', { name: '系统设置' }).click()
  const tabs = page.getByTestId('system-settings').getByRole('tab')
  await expect(tabs).toHaveText([
    '机构',
    '登录与安全',
    '外呼与号码',
    '号码脱敏',
    '监听',
    '派单与回访',
    '合规与保留期限',
    '成功单邮件',
    '备份',
    '录音存储'
  ])
  // 合规: the complaint deadline and the retention periods, each a number with its unit, saved on their own
  await page.getByRole('tab', { name: '合规与保留期限' }).click()
  const compliance = page.getByTestId('settings-compliance')
  await expect(compliance.getByLabel('未成交线索保留（自最后联系）')).toHaveValue('365')
  await compliance.getByLabel('投诉决定期限').fill('10')
  await compliance.getByRole('button', { name: /保存合规与保留期限设置/ }).click()
  await expect(page.getByText('合规与保留期限设置已保存')).toBeVisible()
  const officer = await hubAs('admin')
  expect(
    await must<{ complaints: object; retention: { unsignedDays: number } }>(officer, 'settings.get', {})
  ).toMatchObject({
    complaints: { decisionDays: 10, extendedDays: 30 },
    retention: { unsignedDays: 365, supplierRowsDays: 90 }
  })
  await must(officer, 'settings.update', { complaints: { decisionDays: 15, extendedDays: 30 } })
  officer.close()
  await page.getByRole('tab', { name: '外呼与号码' }).click()
  const section = page.getByTestId('settings-dialling')
  await expect(section).toContainText('防止骚扰和线路被运营商封停')
  // the statutory calendar the windows follow, with the years its data covers and the next holidays
  await expect(section.getByTestId('calendar-card')).toContainText('内置的节假日和调休数据覆盖 2004–2026 年')
  await expect(section.getByTestId('calendar-card')).toContainText('劳动节 2026-05-01')
  // next year's notice, pasted before an update of the app brings it: read, checked, saved
  await section.getByTestId('calendar-load').click()
  const dialog = page.getByRole('dialog', { name: '载入国务院办公厅的放假安排' })
  await expect(dialog.getByTestId('notice-year')).toHaveValue('2027')
  await dialog.getByTestId('notice-text').fill('一、元旦：1月1日（周五）至3日（周日）放假。1月6日（周三）上班。')
  await dialog.getByTestId('notice-read').click()
  await expect(dialog.getByTestId('notice-error')).toHaveText(
    '第 1 行的调休上班日不是周六或周日：“一、元旦：1月1日（周五）至3日（周日）放假。1月6日（周三）上班。”'
  )
  await expect(dialog.getByTestId('notice-save')).toBeDisabled()
  await dialog
    .getByTestId('notice-text')
    .fill(
      [
        '国务院办公厅关于2027年部分节假日安排的通知（测试样例）',
        '一、元旦：1月1日（周五）至3日（周日）放假，共3天。',
        '七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。'
      ].join('\n')
    )
  await dialog.getByTestId('notice-read').click()
  const preview = dialog.getByTestId('notice-preview')
  await expect(preview).toContainText('读到 2 个节日，共 10 天放假；调休上班 2 天')
  await expect(preview).toContainText('国庆节2027-10-01 至 2027-10-07，7 天')
  await expect(preview).toContainText('调休上班：2027-09-26（国庆节），2027-10-09（国庆节）')
  await dialog.getByTestId('notice-save').click()
  await expect(page.getByText('2027 年放假安排已载入')).toBeVisible()
  await expect(section.getByTestId('calendar-loaded-2027')).toContainText(
    '2027 年：按通知载入，10 天放假、2 个调休上班日（admin'
  )
  await expect(section.locator('.ant-input-number-group-addon, .ant-input-number-addon').first()).toHaveText('次')
  const cap = section.getByLabel('同一号码 24 小时内最多拨打次数（所有坐席、所有活动合计）')
  await cap.fill('4')
  await section.getByRole('button', { name: /保存外呼与号码设置/ }).click()
  await expect(page.getByText('外呼与号码设置已保存')).toBeVisible()
  const admin = await hubAs('admin')
  expect(
    (await must<{ capPerNumber24h: number; lockoutThreshold: number }>(admin, 'settings.get', {})).capPerNumber24h
  ).toBe(4)
  // the nightly backup's folder, time and days kept, saved on their own
  await page.getByRole('tab', { name: '备份' }).click()
  const backup = page.getByTestId('settings-backup')
  // a folder the hub cannot write to is refused by name, and nothing is saved
  await backup.getByLabel('备份文件夹').fill('/proc/nonexistent/leadline')
  await backup.getByRole('button', { name: /保存备份设置/ }).click()
  await expect(backup.getByRole('alert').filter({ hasText: '/proc/nonexistent/leadline' })).toContainText(
    '无法创建或写入'
  )
  const folder = join(mkdtempSync(join(tmpdir(), 'leadline-e2e-backup-')), 'nas')
  await backup.getByLabel('备份文件夹').fill(folder)
  await backup.getByLabel('保留').fill('30')
  await backup.getByRole('button', { name: /保存备份设置/ }).click()
  await expect(page.getByText('备份设置已保存')).toBeVisible()
  expect((await must<{ backup: unknown }>(admin, 'settings.get', {})).backup).toEqual({
    folder,
    at: '02:00',
    keepDays: 30
  })
  // this hub was started without a backup passphrase: the page says so, and 立即备份 says why it cannot
  await expect(backup.getByTestId('backup-no-passphrase')).toContainText('没有设置备份口令')
  await backup.getByTestId('backup-now').click()
  await expect(backup.getByRole('alert').filter({ hasText: '口令' }).last()).toBeVisible()
  // whether the desk says it is monitored, per mode: listening silent, whispering and barging shown by default
  await page.getByRole('tab', { name: '监听' }).click()
  const monitoring = page.getByTestId('settings-monitoring')
  await expect(monitoring.getByRole('switch', { name: '监听时告知坐席' })).not.toBeChecked()
  await expect(monitoring.getByRole('switch', { name: '耳语时告知坐席' })).toBeChecked()
  await monitoring.getByRole('switch', { name: '监听时告知坐席' }).click()
  await monitoring.getByRole('button', { name: /保存监听设置/ }).click()
  await expect(page.getByText('监听设置已保存')).toBeVisible()
  expect((await must<{ monitoring: unknown }>(admin, 'settings.get', {})).monitoring).toEqual({
    showListen: true,
    showWhisper: true,
    showBarge: true
  })
  await must(admin, 'settings.update', {
    capPerNumber24h: 3,
    backup: { folder: '', at: '02:00', keepDays: 14 },
    monitoring: { showListen: false, showWhisper: true, showBarge: true }
  })
  admin.close()
  // a browser is already on its hub: no hub address to set, no pool to share on the LAN
  await page.getByRole('menuitem', { name: '个人设置' }).click()
  await expect(page.getByText('音频设备')).toBeVisible()
  await expect(page.getByTestId('hub-url-card')).toHaveCount(0)
  await expect(page.getByText('团队服务器地址')).toHaveCount(0)
})
