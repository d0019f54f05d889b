import { expect, test } from '@playwright/test'
import { E2E_PORT } from '../../playwright.config'
import { loginUi } from './support'

test('集成接口: the administrator makes a key in the UI (shown once), an outside system posts leads with it and reads one back masked; revoked in the UI, the key is refused at once', async ({
  page
}) => {
  const hub = `http://127.0.0.1:${E2E_PORT}/api/v1`
  await loginUi(page, 'admin')
  await page.getByRole('menuitem', { name: '集成接口' }).click()
  const form = page.getByTestId('apikey-create')
  const name = `CRM-${Date.now() % 100000}`
  await form.getByLabel('名称').fill(name)
  await form.getByLabel('读取线索').check()
  await form.getByRole('button', { name: /创\s*建/ }).click()
  const key = (await page.getByTestId('apikey-shown').textContent())!.trim()
  expect(key).toMatch(/^ll_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/)
  await page.screenshot({ path: test.info().outputPath('apikey-shown.png') })
  await page.getByRole('button', { name: /确\s*定|OK/ }).click()
  const row = page.getByTestId('apikeys').getByRole('row').filter({ hasText: name })
  await expect(row).toContainText('推送线索')
  await expect(row).not.toContainText(key.slice(12))

  // the outside system, with only what openapi.json tells it
  const doc = (await (await fetch(`${hub}/openapi.json`)).json()) as { paths: Record<string, unknown> }
  expect(Object.keys(doc.paths)).toContain('/api/v1/campaigns/{id}/leads')
  const auth = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }
  const phone = `1380771${String(Date.now() % 10000).padStart(4, '0')}`
  const posted = await fetch(`${hub}/campaigns/1/leads`, {
    method: 'POST',
    headers: { ...auth, 'Idempotency-Key': `e2e-${phone}` },
    body: JSON.stringify({
      leads: [
        { phone, name: '接口客户' },
        { phone: '123', name: '坏号码' }
      ]
    })
  })
  expect(posted.status).toBe(201)
  const { results } = (await posted.json()) as { results: { status: string; leadId?: number }[] }
  expect(results.map((r) => r.status)).toEqual(['created', 'invalid'])
  const lead = (await (await fetch(`${hub}/leads/${results[0].leadId}`, { headers: auth })).json()) as { phone: string }
  expect(lead.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`)

  // a webhook endpoint, registered in the UI: its signing secret shown once
  const hooks = page.getByTestId('webhooks')
  await hooks.getByPlaceholder('https://crm.example.com/leadline').fill('http://127.0.0.1:9/leadline')
  await hooks.getByLabel('约访成功').check()
  await hooks.getByRole('button', { name: /登记地址/ }).click()
  await expect(page.getByTestId('webhook-secret')).toContainText(/^whsec_/)
  await page.getByRole('button', { name: /确\s*定|OK/ }).click()
  await expect(hooks.getByRole('row').filter({ hasText: 'http://127.0.0.1:9/leadline' }).first()).toContainText(
    '约访成功'
  )
  await page.screenshot({ path: test.info().outputPath('integrations.png'), fullPage: true })

  await row.getByRole('button', { name: /吊\s*销/ }).click()
  await page.getByRole('button', { name: /确\s*定|OK/ }).click()
  await expect(row).toContainText('已吊销')
  const refused = await fetch(`${hub}/leads/${results[0].leadId}`, { headers: auth })
  expect(refused.status).toBe(401)
  expect(((await refused.json()) as { detail: string }).detail).toContain('吊销')
})
