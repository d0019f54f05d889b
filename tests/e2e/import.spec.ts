import { loginUi } from './support'
import { expect, test } from '@playwright/test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import ExcelJS from 'exceljs'

/**
 * A GBK list as Excel on Chinese Windows writes it: 80,000 leads, 10 bad numbers, 5 repeats, a number
 * in a range not allocated to voice, a Nanning landline with a digit too many, and 韦小宝.
 */
function gbkList(): string {
  const lines = ['姓名,手机,性别,地址']
  for (let i = 0; i < 80_000; i++)
    lines.push(`客户${i},135${String(i).padStart(8, '0')},${i % 2 ? '男' : '女'},南宁市青秀区民族大道${i % 500}号`)
  for (let i = 0; i < 10; i++) lines.push(`坏号${i},1350000${i},男,南宁市江南区`)
  for (let i = 0; i < 5; i++) lines.push(`重复${i},135${String(i).padStart(8, '0')},女,南宁市江南区`)
  lines.push('物联网卡,14012345678,男,南宁市江南区')
  lines.push('座机,0771-55512345,女,南宁市江南区')
  lines.push('韦小宝,13977188888,男,广西横县横州镇')
  const file = join(mkdtempSync(join(tmpdir(), 'leadline-e2e-list-')), '十一月名单.csv')
  writeFileSync(file, iconv.encode(lines.join('\r\n') + '\r\n', 'gbk'))
  return file
}

test('a supervisor imports a GBK list, watches it run, downloads the rejected rows and finds a lead by part of a name', async ({
  page
}) => {
  test.setTimeout(120_000)
  const file = gbkList()
  await loginUi(page, 'supervisor')
  await page.getByRole('menuitem', { name: '名单导入' }).click()

  await page.locator('input[type=file]').setInputFiles(file)
  // the preview: GBK detected, headers mapped, Chinese read correctly
  await expect(page.getByText('自动识别（gb18030）')).toBeVisible()
  await expect(page.getByRole('cell', { name: '客户0', exact: true })).toBeVisible()
  await expect(page.getByText('预览（前 10 行，共 80018 行）')).toBeVisible()
  // into the campaign the supervisor picks (other tests run campaigns of their own)
  await page.getByTestId('import-campaign').click()
  await page.locator('.ant-select-item-option').filter({ hasText: '演示活动' }).first().click()
  await page.getByRole('button', { name: '开始导入' }).click()

  await expect(page.getByTestId('import-progress-text')).toBeVisible()
  await expect(page.locator('.ant-progress')).toBeVisible()
  const result = page.getByTestId('import-result')
  await expect(result).toBeVisible({ timeout: 60_000 })
  const stat = (title: string) =>
    result.locator('.ant-statistic').filter({ hasText: title }).locator('.ant-statistic-content-value')
  await expect(stat('总行数')).toHaveText('80,018')
  await expect(stat('已导入')).toHaveText('80,001')
  await expect(stat('文件内重复')).toHaveText('5')
  await expect(stat('无效')).toHaveText('12')
  // 135 0000 … are Guangzhou numbers (Google's data): all but 韦小宝's are from outside Nanning
  await expect(stat('外地号码')).toHaveText('80,000')
  await expect(stat('外省号码')).toHaveText('80,000')
  // the report's rows on screen say why in words, with where the number is from
  const report = page.getByTestId('import-report-rows')
  await expect(report).toContainText('共 17 行')
  await result.locator('.ant-pagination-item-2').click()
  const row = (rowNo: number) =>
    report.locator('tr').filter({ has: page.getByRole('cell', { name: String(rowNo), exact: true }) })
  await expect(row(80017)).toContainText('140 开头的号段未分配给手机语音业务')
  await expect(row(80018)).toContainText('区号 0771（南宁市）的固定电话本地号码应为 7 位')
  await expect(row(80018)).toContainText('广西南宁市')

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载导入报告（XLSX）' }).click()
  ])
  expect(download.suggestedFilename()).toBe('十一月名单-导入报告.xlsx')
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer)
  const values = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][]
  expect(values).toHaveLength(18)
  expect(values[0].slice(1, 7)).toEqual(['行号', '结果', '原因', '号码归属地', '运营商', '姓名'])
  expect(values.slice(1).filter((r) => r[2] === '无效')).toHaveLength(12)
  expect(values.find((r) => r[1] === 80018)?.slice(3, 5)).toEqual([
    '区号 0771（南宁市）的固定电话本地号码应为 7 位',
    '广西南宁市'
  ])
  expect(values.slice(1).filter((r) => r[2] === '文件内重复')).toHaveLength(5)

  await page.getByRole('menuitem', { name: '名单池' }).click()
  const search = page.getByLabel('输入姓名、电话或地址的任意部分')
  await search.pressSequentially('小宝', { delay: 80 })
  const rows = page.locator('.ant-table-tbody .ant-table-row')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('韦小宝')
  await expect(rows.first()).toContainText('13977188888')
  await expect(rows.first()).toContainText('横州市')
  // the number's 归属地 and carrier are in the list (13977188888: China Mobile; Google's data has no place for 139 7718)
  await expect(rows.first()).toContainText('移动')
  // the lead's card, with where it came from
  await rows.first().click()
  await expect(page.getByRole('dialog')).toContainText('十一月名单.csv')
})
