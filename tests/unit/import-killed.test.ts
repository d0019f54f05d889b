import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createCore } from '../../electron/core'
import { fingerprint, quietLogger, tempDir } from '../helpers/core'

const CLI = resolve('out/main/cli.js')
let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir('leadline-kill-')
})
afterEach(() => tmp.cleanup())

describe('an import killed half way (SIGKILL, a separate process)', () => {
  it('leaves the pool exactly as it was', async () => {
    const data = join(tmp.dir, 'data')
    const small = join(tmp.dir, 'small.csv')
    writeFileSync(small, '姓名,手机,地址\n甲,13900000001,南宁市青秀区\n乙,13900000002,南宁市江南区\n')
    expect(
      spawnSync(process.execPath, [CLI, 'import', small, '--data', data, '--json'], { encoding: 'utf8' }).status
    ).toBe(0)

    const big = join(tmp.dir, 'big.csv')
    const rows = Array.from(
      { length: 300_000 },
      (_, i) => `客户${i},137${String(i).padStart(8, '0')},南宁市西乡塘区大学东路${i}号`
    )
    writeFileSync(big, `姓名,手机,地址\n${rows.join('\n')}\n`)

    const core0 = await createCore({ dataDir: data, logger: quietLogger, recallEveryMs: null })
    const before = fingerprint(core0, { withAudit: true })
    core0.close()

    const child = spawn(process.execPath, [CLI, 'import', big, '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] })
    let progressed = 0
    await new Promise<void>((done, fail) => {
      child.stderr.on('data', (d: Buffer) => {
        const m = /(\d+)\/\d+\s*$/.exec(d.toString())
        if (m) progressed = Number(m[1])
        if (progressed >= 100_000 && child.exitCode === null) child.kill('SIGKILL')
      })
      child.once('exit', (_code, signal) =>
        signal === 'SIGKILL' ? done() : fail(new Error(`import ended before it was killed (progress ${progressed})`))
      )
    })
    expect(progressed).toBeGreaterThanOrEqual(100_000)

    const core = await createCore({ dataDir: data, logger: quietLogger, recallEveryMs: null })
    try {
      expect(fingerprint(core, { withAudit: true })).toBe(before)
      expect(core.db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(2)
      expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      core.close()
    }
  })
})
