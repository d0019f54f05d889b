import { expect, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { E2E_PORT } from '../../playwright.config'
import { hubAs } from './support'

/** Kamailio's WebSocket port in the browser tests. */
export const SIP_PORT = Number(process.env.LEADLINE_E2E_SIP_PORT ?? 8188)

/** The customer: a second sip.js agent in the same browser (tests/telephony/customer), answering with a 440 Hz tone. */
export async function openCustomer(
  page: Page,
  user: string,
  o: { tone?: number; speak?: [number, number] | 'manual'; wsPort?: number } = {}
): Promise<void> {
  // Served from a loopback origin (the hub's, intercepted): Chromium blocks a public origin from
  // reaching the SIP server on 127.0.0.1 (local network access checks).
  const base = `http://127.0.0.1:${E2E_PORT}/__test_customer__/`
  await page.route(`${base}**`, async (route) => {
    const path = '/' + new URL(route.request().url()).pathname.slice('/__test_customer__/'.length)
    const file = path.startsWith('/sipjs/')
      ? resolve('node_modules/sip.js/lib', path.slice('/sipjs/'.length))
      : resolve('tests/telephony/customer', path.slice(1) || 'index.html')
    const type = extname(file) === '.js' ? 'text/javascript' : 'text/html'
    await route.fulfill({ body: readFileSync(file), contentType: type })
  })
  await page.goto(
    `${base}index.html?user=${user}&ws=ws://127.0.0.1:${o.wsPort ?? SIP_PORT}&tone=${o.tone ?? 440}${o.speak ? `&speak=${o.speak === 'manual' ? 'manual' : o.speak.join('-')}` : ''}`
  )
  await expect
    .poll(
      () => page.evaluate(() => (window as unknown as { customer?: { registered: boolean } }).customer?.registered),
      { timeout: 10_000 }
    )
    .toBe(true)
}

/** How the test bed's Kamailio resolves the desks' dial tokens, as a centre's PBX does: the hub's URL and the PBX key. */
export async function pbxLink(): Promise<{ url: string; key: string; inbound: string }> {
  const admin = await hubAs('admin')
  const r = await admin.call('sip.pbxLink', {})
  admin.close()
  if (!r.ok) throw new Error(`sip.pbxLink: ${r.error.message}`)
  const v = r.value as { path: string; inboundPath: string; key: string }
  return {
    url: `http://127.0.0.1:${E2E_PORT}${v.path}`,
    key: v.key,
    inbound: `http://127.0.0.1:${E2E_PORT}${v.inboundPath}`
  }
}

/** The test bed's Kamailio challenges every REGISTER and INVITE: extension E's password is secret-E. */
export const testbedPassword = (ext: string) => `secret-${ext}`

/** Gives an operator a SIP account on the test bed. */
export async function giveSipAccount(
  username: string,
  sipUser: string,
  displayName: string,
  wsPort = SIP_PORT
): Promise<void> {
  const admin = await hubAs('admin')
  const users = await admin.call('users.list', { role: 'operator' })
  const u = (users.ok ? (users.value as { id: number; username: string }[]) : []).find((x) => x.username === username)!
  const set = await admin.call('sip.setAccount', {
    userId: u.id,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    domain: '127.0.0.1',
    sipUser,
    displayName,
    iceServers: [],
    outsidePrefix: '',
    password: testbedPassword(sipUser)
  })
  admin.close()
  expect(set.ok).toBe(true)
}

export async function expectAudioIn(page: Page): Promise<void> {
  await expect(page.getByTestId('call-quality')).toBeVisible({ timeout: 10_000 })
  await expect
    .poll(
      async () => Number(/已收 (\d+) KB/.exec((await page.getByTestId('call-quality').textContent()) ?? '')?.[1] ?? 0),
      { timeout: 10_000 }
    )
    .toBeGreaterThan(0)
}
