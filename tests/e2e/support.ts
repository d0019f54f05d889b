import { expect, type Page } from '@playwright/test'
import { HubClient } from '../helpers/ws-client'
import { E2E_PORT } from '../../playwright.config'

export const DEMO_PASSWORD = 'demo1234'

/** Logs in through the login page, as a person does. */
export async function loginUi(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: /登\s*录/ }).click()
}

/** A WebSocket client of the test hub, logged in as a demo user (for checks behind the UI). */
export async function hubAs(username: string): Promise<HubClient> {
  const c = await HubClient.connect(`ws://127.0.0.1:${E2E_PORT}/api/ws`)
  expect((await c.call('auth.login', { username, password: DEMO_PASSWORD })).ok).toBe(true)
  return c
}
