import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter'

/** The file the global teardown looks for: a test failed, so the hub's data folder is kept. */
export const FAILED_MARKER = resolve('test-results/.hub-kept')
const TAIL_LINES = 40

/** The last lines of the end-to-end hub's log (global-setup.ts sets LEADLINE_E2E_DATA before the tests). */
export function hubLogTail(lines = TAIL_LINES): string {
  const data = process.env.LEADLINE_E2E_DATA
  const file = data && join(data, 'logs', 'leadline.log')
  if (!file || !existsSync(file)) return '(no hub log)'
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
}

/**
 * When a test fails, prints the end of the hub's log under it (an INTERNAL error there has its
 * stack and the reference the page showed), and marks the run so that the teardown keeps the hub's
 * log and data folder under test-results/hub/.
 */
export default class HubLogReporter implements Reporter {
  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === test.expectedStatus || result.status === 'skipped') return
    const where = `${test.location.file.replace(resolve('.') + '/', '')}:${test.location.line}`
    console.log(
      `\n── the hub's log, last ${TAIL_LINES} lines, after ${where} (${result.status}) ──\n${hubLogTail()}\n──`
    )
    mkdirSync(resolve('test-results'), { recursive: true })
    writeFileSync(FAILED_MARKER, `${where}\n`, { flag: 'a' })
  }
}
