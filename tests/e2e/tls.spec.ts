import { chromium, expect, test, type Browser } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import config, { E2E_CLOCK_START } from '../../playwright.config'

/**
 * A seat on the LAN: the browser reaches the hub by a LAN-style name (hub.lan, mapped to loopback),
 * which is a secure context only over https. The hub runs with its own CA; the browser trusts the
 * hub's certificate by its public key, as a seat trusts the CA an administrator installed.
 */
const TLS_PORT = Number(process.env.LEADLINE_E2E_TLS_PORT ?? 7393)
const HTTP_PORT = TLS_PORT + 1

interface RunningHub {
  child: ChildProcess
  data: string
  line: { url: string; tls: { spki: string; names: string[]; fingerprint: string } | null }
}

async function startHub(port: number, args: string[]): Promise<RunningHub> {
  const data = mkdtempSync(join(tmpdir(), 'leadline-tls-'))
  const child = spawn(
    process.execPath,
    [resolve('out/main/cli.js'), 'serve', '--data', data, '--port', String(port), '--json', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LANG: 'C', LEADLINE_CLOCK_START: E2E_CLOCK_START }
    }
  )
  let out = ''
  let err = ''
  child.stderr!.on('data', (d) => (err += d))
  const line = await new Promise<RunningHub['line']>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`hub did not start\n${err}`)), 30_000)
    child.stdout!.on('data', (d) => {
      out += d
      const l = out.split('\n').find((x) => x.includes('"url"'))
      if (l) {
        clearTimeout(timer)
        ok(JSON.parse(l))
      }
    })
    child.once('exit', (code) => fail(new Error(`hub exited with ${code}\n${err}`)))
  })
  return { child, data, line }
}

async function stopHub(h: RunningHub | undefined): Promise<void> {
  if (!h) return
  if (h.child.exitCode === null) {
    h.child.kill('SIGTERM')
    await new Promise((r) => h.child.once('exit', r))
  }
  rmSync(h.data, { recursive: true, force: true })
}

const baseArgs = (config.use?.launchOptions?.args ?? []) as string[]
const executablePath = config.use?.launchOptions?.executablePath

let tlsHub: RunningHub | undefined
let httpHub: RunningHub | undefined
let browser: Browser | undefined

test.beforeAll(async () => {
  tlsHub = await startHub(TLS_PORT, ['--tls', '--name', 'hub.lan', '--name', 'localhost'])
  httpHub = await startHub(HTTP_PORT, ['--insecure-http'])
  browser = await chromium.launch({
    executablePath,
    args: [
      ...baseArgs,
      '--host-resolver-rules=MAP hub.lan 127.0.0.1',
      `--ignore-certificate-errors-spki-list=${tlsHub.line.tls!.spki}`
    ]
  })
})
test.afterAll(async () => {
  await browser?.close()
  await stopHub(tlsHub)
  await stopHub(httpHub)
})

async function login(page: import('@playwright/test').Page, url: string, user: string) {
  await page.goto(url)
  await page.getByLabel('用户名').fill(user)
  await page.getByLabel('密码').fill('demo1234')
  await page.getByRole('button', { name: /登\s*录/ }).click()
}

test('a seat on the LAN over https: a secure context, an operator works a lead on the simulated line and the outcome is saved', async () => {
  test.setTimeout(120_000)
  expect(tlsHub!.line.url).toBe(`https://hub.lan:${TLS_PORT}`)
  expect(tlsHub!.line.tls!.names).toEqual(['hub.lan', 'localhost'])
  const ctx = await browser!.newContext({ locale: 'zh-CN', timezoneId: config.use?.timezoneId })
  try {
    const page = await ctx.newPage()
    // http on the hub's port goes to https
    await page.goto(`http://hub.lan:${TLS_PORT}/`)
    await expect(page).toHaveURL(`https://hub.lan:${TLS_PORT}/`)
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true)
    await login(page, `https://hub.lan:${TLS_PORT}/`, 'op1')
    await expect(page.getByTestId('agent-state')).toHaveText('就绪', { timeout: 20_000 })
    await expect(page.getByTestId('line-state')).toHaveText('已注册')
    await page.keyboard.press('Alt+N')
    await expect(page.getByTestId('customer-card')).toBeVisible()
    await page.keyboard.press('Alt+D')
    await expect(page.getByTestId('call-state')).toContainText('录音中', { timeout: 15_000 })
    await page.waitForTimeout(1500)
    await page.keyboard.press('Alt+H')
    await expect(page.getByTestId('agent-state')).toHaveText('话后整理', { timeout: 15_000 })
    await page.keyboard.press('Alt+4')
    await page.keyboard.press('Control+Enter')
    await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
    await expect(page.getByTestId('desk-error')).toBeHidden()
    // the recording went over wss too
    await expect(page.getByTestId('last-recording')).toContainText('已保存', { timeout: 20_000 })
  } finally {
    await ctx.close()
  }
})

test('the same seat over plain http is not a secure context: the desk says the microphone needs https, offers no line, and shows no raw error', async () => {
  test.setTimeout(90_000)
  const ctx = await browser!.newContext({ locale: 'zh-CN', timezoneId: config.use?.timezoneId })
  try {
    const page = await ctx.newPage()
    await login(page, `http://hub.lan:${HTTP_PORT}/`, 'op1')
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false)
    const notice = page.getByTestId('insecure-seat')
    await expect(notice).toBeVisible({ timeout: 20_000 })
    await expect(notice).toContainText('这个页面不能使用麦克风')
    await expect(notice).toContainText(`https://hub.lan:${HTTP_PORT}/`)
    await expect(page.getByTestId('line-state')).toHaveCount(0)
    await expect(page.getByRole('button', { name: /拨\s*打/ })).toHaveCount(0)
    const text = await page.locator('body').innerText()
    expect(text).not.toMatch(/Cannot read properties|is not a function|getUserMedia|randomUUID/)
    // 个人设置 says the same instead of an empty device list
    await page.getByRole('menuitem', { name: '个人设置' }).click()
    await expect(page.getByTestId('insecure-seat')).toBeVisible()
  } finally {
    await ctx.close()
  }
})
