import { defineConfig } from '@playwright/test'
import {
  AUTOPLAY_ARG,
  CHROMIUM_PATH,
  FAKE_MEDIA_ARGS,
  HEADLESS_ARGS,
  LOCAL_TEST_PAGES_ARG
} from './tests/helpers/chromium.mjs'

/** The hub the tests start (tests/e2e/global-setup.ts) serves the built renderer on this port. */
export const E2E_PORT = Number(process.env.LEADLINE_E2E_PORT ?? 7391)
/**
 * The hub's clock in the end-to-end run starts here (a Monday, 10:00 in Nanning): inside the
 * calling windows whatever the hour of the run, and far from the day the suite runs on, so that
 * nothing on a page may follow the browser's own calendar instead of the centre's.
 */
export const E2E_CLOCK_START = '2026-03-02T10:00:00+08:00'
/** The centre's zone (the demo's setting) and the browsers' own, which is another one on purpose (no DST, 18 h behind). */
export const CENTRE_ZONE = 'Asia/Shanghai'
export const BROWSER_ZONE = 'Pacific/Honolulu'

const CALL_SPECS = /(desk|monitor|simulated-call|sip-call)\.spec\.ts$/

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  // the hub-log reporter prints the end of the hub's log under a failed test and keeps its data folder
  reporter: [['list'], ['./tests/e2e/hub-log-reporter.ts']],
  globalSetup: './tests/e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    locale: 'zh-CN',
    timezoneId: BROWSER_ZONE,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download cannot work on these machines.
      executablePath: CHROMIUM_PATH,
      args: [...HEADLESS_ARGS, ...FAKE_MEDIA_ARGS, AUTOPLAY_ARG, LOCAL_TEST_PAGES_ARG]
    }
  },
  // The specs that measure what a call recorded (levels, onsets, talk shares, durations) run one at a
  // time, beside the other specs: two of them at once on a 2-core machine starve the audio pipelines.
  projects: [
    { name: 'calls', testMatch: CALL_SPECS, workers: 1, use: { browserName: 'chromium' } },
    { name: 'chromium', testIgnore: CALL_SPECS, use: { browserName: 'chromium' } }
  ]
})
