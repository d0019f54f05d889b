import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import JSZip from 'jszip'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { maskPersonal, RotatingLog, teeLogger } from '../../electron/core/log-file'
import { makeCore, tempDir } from '../helpers/core'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => (tmp = tempDir('leadline-log-')))
afterEach(() => tmp.cleanup())

describe('the hub’s log file', () => {
  it('masks phone and ID card numbers wherever they appear', () => {
    const rows: [string, string][] = [
      ['dial 13812345678 failed', 'dial 138****5678 failed'],
      ['from +8613812345678', 'from +86138****5678'],
      ['0086 13912345678', '0086 139****5678'],
      ['landline 0771-5551234 busy', 'landline 0771-****1234 busy'],
      ['landline 07715551234', 'landline 0771****1234'],
      ['Beijing 010-12345678', 'Beijing 010-****5678'],
      ['id 45010319900307123X ok', 'id 450103********123X ok'],
      ['id 450103199003071234', 'id 450103********1234'],
      // not personal: ids, times, sizes
      ['recording 123 of 4096 bytes at 2026-03-02T10:00:00Z', 'recording 123 of 4096 bytes at 2026-03-02T10:00:00Z']
    ]
    for (const [raw, masked] of rows) expect(maskPersonal(raw), raw).toBe(masked)
  })

  it('writes masked lines, errors with their stack, to a file only its owner reads', () => {
    const log = new RotatingLog(tmp.dir)
    log.info('call to 13812345678 answered')
    log.error('import failed', new Error('bad row: 13987654321'))
    const text = readFileSync(log.file, 'utf8')
    expect(text).toMatch(/^\S+Z INFO call to 138\*\*\*\*5678 answered$/m)
    expect(text).toContain('ERROR import failed Error: bad row: 139****4321')
    expect(text).toContain('log-file.test.ts') // the stack
    expect(text).not.toMatch(/1[3-9]\d{9}/)
    expect(statSync(log.file).mode & 0o777).toBe(0o600)
  })

  it('rotates by size and keeps a bounded number of old files', () => {
    const log = new RotatingLog(tmp.dir, { maxBytes: 1000, keep: 3 })
    for (let i = 0; i < 200; i++) log.info(`line ${i} ${'x'.repeat(40)}`)
    const files = readdirSync(tmp.dir).sort()
    expect(files).toEqual(['leadline.1.log', 'leadline.2.log', 'leadline.3.log', 'leadline.log'])
    for (const f of files) expect(statSync(join(tmp.dir, f)).size).toBeLessThanOrEqual(1000)
    // the newest lines are in the current file, the ones before in .1, in order
    expect(readFileSync(join(tmp.dir, 'leadline.log'), 'utf8')).toContain('line 199 ')
    const one = readFileSync(join(tmp.dir, 'leadline.1.log'), 'utf8').trim().split('\n')
    const cur = readFileSync(join(tmp.dir, 'leadline.log'), 'utf8').trim().split('\n')
    const n = (l: string) => Number(/line (\d+)/.exec(l)![1])
    expect(n(one.at(-1)!) + 1).toBe(n(cur[0]))
  })

  it('a log that cannot be written never throws; tee reaches every logger', () => {
    const log = new RotatingLog(join(tmp.dir, 'logs'))
    tmp.cleanup() // the folder is gone under it
    const seen: string[] = []
    const tee = teeLogger(log, { info: (m) => seen.push(m), warn: () => {}, error: () => {} })
    expect(() => tee.info('still here')).not.toThrow()
    expect(seen).toEqual(['still here'])
  })
})

it('`leadline serve` logs to logs/leadline.log in its data folder as well as to the terminal', async () => {
  const child = spawn(
    process.execPath,
    [resolve('out/main/cli.js'), 'serve', '--data', tmp.dir, '--port', '0', '--no-demo', '--json'],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  try {
    const file = join(tmp.dir, 'logs', 'leadline.log')
    await expect
      .poll(() => (existsSync(file) ? readFileSync(file, 'utf8') : ''), { timeout: 20_000, interval: 200 })
      .toMatch(/INFO hub listening on 127\.0\.0\.1:\d+/)
    expect(stderr).toContain('hub listening')
    expect(statSync(file).mode & 0o777).toBe(0o600)
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
}, 30_000)

it('`leadline diagnose` bundles versions, settings without secrets, counts and the logs masked, beside a running hub', async () => {
  const env = await makeCore({ dataDir: tmp.dir })
  try {
    env.core.db
      .prepare("INSERT INTO settings (key, value) VALUES ('smtp', ?)")
      .run(JSON.stringify({ host: 'mail.centre.local', password: 'hunter2', apiKey: 'k-123' }))
    new RotatingLog(join(tmp.dir, 'logs')).info('call to 13812345678 answered')
    // a log from an older build, numbers in the clear
    mkdirSync(join(tmp.dir, 'logs'), { recursive: true })
    writeFileSync(join(tmp.dir, 'logs', 'leadline.1.log'), 'old line 13987654321\n')
    const file = join(tmp.dir, 'support.zip')
    const out = JSON.parse(
      execFileSync(process.execPath, [resolve('out/main/cli.js'), 'diagnose', file, '--data', tmp.dir, '--json'], {
        encoding: 'utf8'
      })
    ) as { logs: string[]; schemaVersion: number }
    expect(out.logs).toEqual(['leadline.1.log', 'leadline.log'])
    const zip = await JSZip.loadAsync(readFileSync(file))
    expect(Object.keys(zip.files).sort()).toEqual([
      'about.json',
      'logs/leadline.1.log',
      'logs/leadline.log',
      'settings.json'
    ])
    const about = JSON.parse(await zip.file('about.json')!.async('string')) as Record<string, unknown>
    expect(about).toMatchObject({ node: process.versions.node, schemaVersion: out.schemaVersion })
    expect(about.counts).toMatchObject({ operators: 3 })
    const settings = await zip.file('settings.json')!.async('string')
    expect(JSON.parse(settings)).toMatchObject({
      smtp: { host: 'mail.centre.local', password: '(removed)', apiKey: '(removed)' }
    })
    expect(settings).not.toContain('hunter2')
    const logs =
      (await zip.file('logs/leadline.1.log')!.async('string')) + (await zip.file('logs/leadline.log')!.async('string'))
    expect(logs).toContain('139****4321')
    expect(logs).toContain('138****5678')
    expect(logs).not.toMatch(/1[3-9]\d{9}/)
  } finally {
    env.cleanup()
  }
}, 30_000)
