import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createCore } from '../../electron/core'
import { fingerprint, quietLogger, tempDir } from '../helpers/core'

const CLI = resolve('out/main/cli.js')
let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir('leadline-kill-')
})
afterEach(() => tmp.cleanup())

/** A data folder with two leads, and a 300,000-row list beside it. */
function setUp(): { data: string; big: string } {
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
  return { data, big }
}

/** Runs `leadline import` and kills it (SIGKILL) once its progress line says `phase` at `at` rows or more. */
async function importKilledAt(data: string, big: string, phase: 'reading' | 'writing', at: number): Promise<number> {
  const child = spawn(process.execPath, [CLI, 'import', big, '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] })
  let progressed = 0
  await new Promise<void>((done, fail) => {
    child.stderr.on('data', (d: Buffer) => {
      const m = /(reading|writing) (\d+)\/\d+\s*$/.exec(d.toString())
      if (m?.[1] === phase) progressed = Number(m[2])
      if (progressed >= at && child.exitCode === null) child.kill('SIGKILL')
    })
    child.once('exit', (_code, signal) =>
      signal === 'SIGKILL' ? done() : fail(new Error(`import ended before it was killed (${phase} ${progressed})`))
    )
  })
  return progressed
}

describe('an import killed half way (SIGKILL, a separate process)', () => {
  it('while it reads the list: leaves the pool exactly as it was, and its stage file goes at the next start', async () => {
    const { data, big } = setUp()
    const core0 = await createCore({ dataDir: data, logger: quietLogger, recallEveryMs: null })
    const before = fingerprint(core0, { withAudit: true })
    core0.close()

    expect(await importKilledAt(data, big, 'reading', 100_000)).toBeGreaterThanOrEqual(100_000)
    expect(readdirSync(join(data, 'imports')).length).toBe(1)

    const core = await createCore({ dataDir: data, logger: quietLogger, recallEveryMs: null, exclusive: true })
    try {
      expect(fingerprint(core, { withAudit: true })).toBe(before)
      expect(core.db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(2)
      expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(readdirSync(join(data, 'imports'))).toEqual([])
    } finally {
      core.close()
    }
  })

  it('while it writes into the pool: the next start of the folder’s owner finishes it, every row once', async () => {
    const { data, big } = setUp()
    expect(await importKilledAt(data, big, 'writing', 60_000)).toBeGreaterThanOrEqual(60_000)

    const core = await createCore({ dataDir: data, logger: quietLogger, recallEveryMs: null, exclusive: true })
    try {
      const state = () => core.db.prepare('SELECT state FROM import_batches ORDER BY id DESC').pluck().get()
      for (let i = 0; i < 600 && state() !== 'done'; i++) await new Promise((r) => setTimeout(r, 50))
      expect(state()).toBe('done')
      expect(core.db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(300_002)
      expect(
        core.db.prepare('SELECT rows, imported, duplicates_in_pool FROM import_batches ORDER BY id DESC').get()
      ).toEqual({ rows: 300_000, imported: 300_000, duplicates_in_pool: 0 })
      // the audit log has the import once, finished on the restart
      const audited = core.db
        .prepare("SELECT details FROM audit_log WHERE action = 'leads.import' ORDER BY id DESC")
        .pluck()
        .all() as string[]
      expect(JSON.parse(audited[0])).toMatchObject({ resumed: true, imported: 300_000 })
      expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(existsSync(join(data, 'imports')) ? readdirSync(join(data, 'imports')) : []).toEqual([])
    } finally {
      core.close()
    }
  })
})
