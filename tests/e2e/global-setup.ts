import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { E2E_CLOCK_START, E2E_PORT } from '../../playwright.config'
import { FAILED_MARKER } from './hub-log-reporter'

/**
 * Starts the real hub (the built CLI's `serve`) on a fresh demo data folder, waits until it
 * says where it listens, and stops it by PID when the run ends. When a test failed (the hub-log
 * reporter marks it), the hub's data folder, its log included, is kept under test-results/hub/.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const cli = resolve('out/main/cli.js')
  if (!existsSync(cli)) throw new Error('out/main/cli.js is missing: run `npm run build` before the end-to-end tests')
  const data = mkdtempSync(join(tmpdir(), 'leadline-e2e-'))
  rmSync(FAILED_MARKER, { force: true })
  process.env.LEADLINE_E2E_HUB_T0 = String(Date.now())
  const child = spawn(process.execPath, [cli, 'serve', '--data', data, '--port', String(E2E_PORT), '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // A recording whose page was closed is declared interrupted after 4 s instead of 30 s.
    // The hub's clock starts on a Monday at 10:00 in Nanning, inside the calling windows, whatever the hour of the run,
    // at the moment the tests' hubNow() counts from (not when the hub got round to starting: seconds later on a busy machine).
    env: {
      ...process.env,
      LANG: 'C',
      LEADLINE_RECORDING_STALE_MS: '4000',
      LEADLINE_CLOCK_START: E2E_CLOCK_START,
      LEADLINE_CLOCK_SINCE: process.env.LEADLINE_E2E_HUB_T0
    }
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += String(d)))
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`hub did not start within 30 s\n${stderr}`)), 30_000)
    child.stdout.on('data', (d) => {
      if (String(d).includes('"url"')) {
        clearTimeout(timer)
        ok()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`hub exited with ${code}\n${stderr}`))
    })
  })
  process.env.LEADLINE_E2E_DATA = data
  return async () => {
    if (child.pid && child.exitCode === null) {
      process.kill(child.pid, 'SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
    if (existsSync(FAILED_MARKER)) {
      const kept = resolve('test-results/hub')
      rmSync(kept, { recursive: true, force: true })
      cpSync(data, kept, { recursive: true })
      console.log(
        `\nA test failed (${readFileSync(FAILED_MARKER, 'utf8').trim().split('\n').join(', ')}): the hub's log and data folder are kept in ${kept} (log: ${join(kept, 'logs', 'leadline.log')})`
      )
    }
    rmSync(data, { recursive: true, force: true })
  }
}
