import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createCore, type Core, type CoreConnection } from '../../electron/core'
import { loginAs, ok, quietLogger, tempDir } from '../helpers/core'
import { upload } from '../helpers/upload'

/**
 * Other work goes on while a big list is imported: the import (on its own thread and its own SQLite
 * connection, as on the hub) writes the pool in short slices, and every write of the hub starts
 * with the write lock (BEGIN IMMEDIATE) — a deferred transaction that read first failed at once with
 * SQLITE_BUSY_SNAPSHOT when the import committed in between, which the caller saw as 系统内部错误.
 */
const worker = resolve('out/main/import-worker.js')
let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir('leadline-import-conc-')
})
afterEach(() => tmp.cleanup())

function listOf(n: number, prefix = '139'): Buffer {
  const rows = Array.from(
    { length: n },
    (_, i) => `客户${i},${prefix}${String(i).padStart(8, '0')},南宁市青秀区民族大道${i}号`
  )
  return Buffer.from(`姓名,手机,地址\n${rows.join('\n')}\n`)
}

/** Where the import stands, after a short wait (the thread's messages need the event loop). */
async function jobOf(conn: CoreConnection, jobId: string) {
  await new Promise((r) => setTimeout(r, 5))
  return ok<{ state: string; phase: string; done: number; result: { imported: number } | null }>(
    conn.invoke('leads.importJob', { jobId })
  )
}

describe('work beside a big import (the built import thread)', () => {
  it('users are created, none refused, while a 150,000-row list is written into the pool', async () => {
    expect(existsSync(worker)).toBe(true)
    const lines: string[] = []
    const logger = { info() {}, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) }
    const core: Core = await createCore({
      dataDir: join(tmp.dir, 'data'),
      demo: true,
      demoLeads: false,
      logger,
      recallEveryMs: null,
      importWorkerFile: worker
    })
    try {
      const sup = await loginAs(core, 'supervisor')
      const admin = await loginAs(core, 'admin')
      const uploadId = await upload(sup, 'big.csv', listOf(150_000))
      const { jobId } = await ok<{ jobId: string }>(
        sup.invoke('leads.import', { uploadId, source: 's', policy: 'skip', mapping: ['name', 'phone', 'address'] })
      )
      const failures: string[] = []
      let created = 0
      let createdWhileWriting = 0
      let job = await jobOf(sup, jobId)
      for (let i = 0; job.state === 'running'; i++) {
        const r = await admin.invoke('users.create', {
          username: `beside${i}`,
          password: 'operator-pass-1',
          displayName: `坐席${i}`,
          role: 'operator',
          staffNo: `B${i}`
        })
        if (!r.ok) failures.push(`${r.error.code}: ${r.error.message}`)
        else created++
        job = await jobOf(sup, jobId)
        if (r.ok && job.state === 'running' && job.phase === 'writing') createdWhileWriting++
      }
      expect(failures).toEqual([])
      expect(job).toMatchObject({ state: 'done', result: { imported: 150_000 } })
      // the users were really made while the list went into the pool, not before or after it
      expect(createdWhileWriting).toBeGreaterThanOrEqual(3)
      expect(core.db.prepare("SELECT count(*) FROM users WHERE username LIKE 'beside%'").pluck().get()).toBe(created)
      expect(core.db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(150_000)
      // the batch is whole, its stage file gone
      expect(core.db.prepare('SELECT state, stage_file, rows, imported FROM import_batches').get()).toEqual({
        state: 'done',
        stage_file: null,
        rows: 150_000,
        imported: 150_000
      })
      expect(readdirSync(join(tmp.dir, 'data', 'imports'))).toEqual([])
      expect(lines.filter((l) => /failed|INTERNAL/.test(l))).toEqual([])
    } finally {
      core.close()
    }
  })

  it('a list can be cancelled while it is read, not once it is written into the pool', async () => {
    const core: Core = await createCore({
      dataDir: join(tmp.dir, 'data'),
      demo: true,
      demoLeads: false,
      logger: quietLogger,
      recallEveryMs: null,
      importWorkerFile: worker
    })
    try {
      const sup = await loginAs(core, 'supervisor')
      const uploadId = await upload(sup, 'big.csv', listOf(100_000, '137'))
      const { jobId } = await ok<{ jobId: string }>(
        sup.invoke('leads.import', { uploadId, source: 's', policy: 'skip', mapping: ['name', 'phone', 'address'] })
      )
      let job = await jobOf(sup, jobId)
      while (job.state === 'running' && job.phase !== 'writing') job = await jobOf(sup, jobId)
      expect(job.state).toBe('running')
      const refused = await sup.invoke('leads.cancelImport', { jobId })
      expect(refused.ok).toBe(false)
      if (!refused.ok)
        expect(refused.error.message).toBe('名单已在写入名单池，不能再取消；写入完成后可在导入记录中查看')
      while (job.state === 'running') job = await jobOf(sup, jobId)
      expect(job).toMatchObject({ state: 'done', result: { imported: 100_000 } })
    } finally {
      core.close()
    }
  })
})

describe('what a caller hears when a request cannot be done', () => {
  it('a database held by another writer past the busy timeout: a retryable message in words, nothing saved; then it works', async () => {
    const core: Core = await createCore({
      dataDir: join(tmp.dir, 'data'),
      demo: true,
      demoLeads: false,
      logger: quietLogger,
      recallEveryMs: null
    })
    const other = new Database(core.dbFile)
    try {
      const admin = await loginAs(core, 'admin')
      core.db.pragma('busy_timeout = 100')
      other.prepare('BEGIN IMMEDIATE').run()
      const input = { username: 'held1', password: 'operator-pass-1', displayName: '坐席', role: 'operator' }
      const r = await admin.invoke('users.create', input)
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('UNAVAILABLE')
        expect(r.error.message).toBe('系统正忙于写入其他数据，本次操作未保存，请稍后重试')
      }
      other.prepare('ROLLBACK').run()
      expect(core.db.prepare("SELECT count(*) FROM users WHERE username = 'held1'").pluck().get()).toBe(0)
      expect((await admin.invoke('users.create', input)).ok).toBe(true)
    } finally {
      other.close()
      core.close()
    }
  })

  it('an unexpected failure is logged with its stack under a reference, and the caller is given that reference', async () => {
    const lines: { msg: string; extra: unknown }[] = []
    const core: Core = await createCore({
      dataDir: join(tmp.dir, 'data'),
      demo: true,
      demoLeads: false,
      logger: { info() {}, warn() {}, error: (msg, extra) => lines.push({ msg, extra }) },
      recallEveryMs: null
    })
    try {
      const sup = await loginAs(core, 'supervisor')
      // a broken database: the table the batch list reads is gone
      core.db.exec('DROP TABLE import_rows; DROP TABLE import_batches')
      const r = await sup.invoke('leads.batches', { limit: 10 })
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.code).toBe('INTERNAL')
      const ref = /错误编号 ([0-9A-F]{6})/.exec(r.error.message)?.[1]
      expect(ref).toBeDefined()
      const logged = lines.find((l) => l.msg.includes(`[ref ${ref}]`))
      expect(logged?.msg).toContain('leads.batches')
      expect((logged?.extra as Error).stack).toMatch(/no such table: import_batches[\s\S]*\n\s+at /)
    } finally {
      core.close()
    }
  })
})
