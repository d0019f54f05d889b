import { expect, test, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { catalogs } from '../../shared/i18n'
import { loginUi } from './support'

/**
 * Every page of every role, in both languages: nothing on screen may look like an i18n key
 * (`settings.directionCities`), a raw value (undefined, NaN, [object Object]) or an English
 * browser error in the Chinese UI. SWEEP_SHOTS=1 keeps a screenshot of each page in
 * test-results/sweep/ to look at.
 */
const SECTIONS = Object.keys(catalogs['zh-CN']).join('|')
const KEY_LIKE = new RegExp(`(?<![\\w@/.:-])(?:${SECTIONS})\\.[a-zA-Z][\\w.]*`, 'g')
/** File names (leads.csv, report.xlsx) look like keys and are not. */
const FILE = /\.(csv|xlsx?|txt|zip|wav|webm|ogg|json|pdf|png)$/i
const RAW = /\b(?:undefined|NaN|null)\b|\[object Object\]|Cannot read properties|is not a function/g

const ROLES = [
  { user: 'op3', pages: ['desk', 'my-leads', 'callbacks', 'follow-ups', 'my-reviews', 'settings', 'about'] },
  { user: 'qa', pages: ['review-queue', 'recordings', 'complaints', 'settings', 'about'] },
  {
    user: 'supervisor',
    pages: [
      'recordings',
      'qa-appeals',
      'wallboard',
      'pool',
      'import',
      'allocation',
      'campaigns',
      'dispatch',
      'reports',
      'complaints',
      'numbers',
      'sms',
      'users',
      'audit',
      'settings',
      'about'
    ]
  },
  { user: 'leader_qx', pages: ['district-dispatch', 'agents', 'settings', 'about'] },
  { user: 'agent_qx1', pages: ['visits', 'settings', 'about'] },
  {
    user: 'admin',
    pages: ['complaints', 'privacy', 'numbers', 'sms', 'integrations', 'users', 'audit', 'system', 'settings', 'about']
  }
]

async function pageText(page: Page): Promise<string> {
  // what a person reads: the page, and the tabs' labels and tooltips' titles that are in the DOM —
  // but not what is deliberately shown as code (an API method's name in the audit log)
  return page.evaluate(() => {
    let text = document.body.innerText
    for (const c of Array.from(document.querySelectorAll('code')))
      text = text.split((c as HTMLElement).innerText).join(' ')
    const attrs = Array.from(document.querySelectorAll('[title],[placeholder],[aria-label]')).map((e) =>
      [e.getAttribute('title'), e.getAttribute('placeholder'), e.getAttribute('aria-label')].filter(Boolean).join(' ')
    )
    return text + '\n' + attrs.join('\n')
  })
}

for (const { user, pages } of ROLES) {
  for (const locale of ['zh-CN', 'en'] as const) {
    test(`${user} (${locale}): no page shows a raw key or a raw value`, async ({ page }) => {
      test.setTimeout(120_000)
      await loginUi(page, user)
      await expect(page.getByTestId('current-user')).toBeVisible({ timeout: 15_000 })
      if (locale === 'en') {
        await page.getByText('English', { exact: true }).click()
        await expect(page.getByRole('button', { name: /Log out/ })).toBeVisible()
      }
      if (process.env.SWEEP_SHOTS) mkdirSync('test-results/sweep', { recursive: true })
      for (const p of pages) {
        await page.evaluate((path) => (window.location.hash = path), `/${p}`)
        await expect(page.locator('.app-content')).toBeVisible()
        // the page's data has loaded: no spinner left
        await expect(
          page.locator('.app-content .ant-spin-spinning, .app-content .ant-card-loading-content')
        ).toHaveCount(0, { timeout: 15_000 })
        await page.waitForTimeout(300)
        const text = await pageText(page)
        expect(
          (text.match(KEY_LIKE) ?? []).filter((k) => !FILE.test(k)),
          `raw i18n keys on /${p}`
        ).toEqual([])
        expect(text.match(RAW) ?? [], `raw values on /${p}`).toEqual([])
        if (process.env.SWEEP_SHOTS)
          await page.screenshot({ path: `test-results/sweep/${user}-${locale}-${p}.png`, fullPage: true })
      }
    })
  }
}
