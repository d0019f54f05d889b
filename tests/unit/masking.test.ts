import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loginAs, makeCore, ok } from '../helpers/core'
import { upload } from '../helpers/upload'

let env: Awaited<ReturnType<typeof makeCore>>
beforeEach(async () => {
  env = await makeCore({ demo: true, demoLeads: false })
  // this centre shows whole numbers to administrators only
  await ok((await loginAs(env.core, 'admin')).invoke('settings.update', { clearRoles: ['admin'] }))
})
afterEach(() => env.cleanup())

async function importList(conn: Awaited<ReturnType<typeof loginAs>>, csv: string) {
  const uploadId = await upload(conn, 'list.csv', Buffer.from(csv, 'utf8'))
  const job = await ok<{ jobId: string }>(
    conn.invoke('leads.import', { uploadId, source: 's', policy: 'skip', mapping: ['name', 'phone', 'idNo', 'note'] })
  )
  for (let i = 0; i < 200; i++) {
    const j = await ok<{ state: string; result: { batchId: number } | null }>(
      conn.invoke('leads.importJob', { jobId: job.jobId })
    )
    if (j.state !== 'running') return j.result!.batchId
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('import did not finish')
}

describe('numbers stay masked for a role that sees them masked, wherever they appear', () => {
  it('the import report’s supplier cells, the do-not-call list (found by its whole number only) and the audit log', async () => {
    const sup = await loginAs(env.core, 'supervisor')
    const batchId = await importList(
      sup,
      ['姓名,手机,身份证号,备注', '张伟,13807711234,450103198503151236,备用电话 13977120002', '李娜,1380771,,'].join(
        '\n'
      )
    )
    const report = await ok<{ token: string }>(sup.invoke('leads.importReport', { batchId, format: 'csv' }))
    const file = Buffer.from(
      (await ok<{ data: string }>(sup.invoke('downloads.read', { token: report.token }))).data,
      'base64'
    ).toString('utf8')
    // the refused row (a number too short) is in the report; no run of 7+ digits is whole in it
    expect(file).toContain('李娜')
    expect(file).not.toMatch(/\d{7,}/)
    expect(file).toContain('***0771')
    // the administrator's report has them whole
    const admin = await loginAs(env.core, 'admin')
    const full = await ok<{ token: string }>(admin.invoke('leads.importReport', { batchId, format: 'csv' }))
    expect(
      Buffer.from(
        (await ok<{ data: string }>(admin.invoke('downloads.read', { token: full.token }))).data,
        'base64'
      ).toString('utf8')
    ).toContain('1380771')

    await ok(sup.invoke('dnc.add', { phone: '13977120001', reason: '客户拒绝', days: 180 }))
    const list = await ok<{ phone: string }[]>(sup.invoke('dnc.list', {}))
    expect(list.map((e) => e.phone)).toEqual(['139****0001'])
    // part of a number finds nothing (the digits behind the mask cannot be guessed); the whole number does
    expect(await ok(sup.invoke('dnc.list', { q: '7712' }))).toEqual([])
    expect(await ok(sup.invoke('dnc.list', { q: '139771200' }))).toEqual([])
    expect((await ok<{ phone: string }[]>(sup.invoke('dnc.list', { q: '13977120001' }))).map((e) => e.phone)).toEqual([
      '139****0001'
    ])
    expect((await ok<{ phone: string }[]>(admin.invoke('dnc.list', { q: '7712' }))).map((e) => e.phone)).toEqual([
      '13977120001'
    ])

    // the audit log: the do-not-call entry's id is the number, masked for the supervisor, whole for the administrator
    type Entry = { entityId: string | null; details: Record<string, unknown> | null }
    const entries = (c: typeof sup) => ok<Entry[]>(c.invoke('audit.list', { action: 'dnc.add' }))
    expect((await entries(sup)).map((e) => e.entityId)).toEqual(['139****0001'])
    expect(JSON.stringify(await entries(sup))).not.toMatch(/\d{7,}/)
    expect((await entries(admin)).map((e) => e.entityId)).toEqual(['13977120001'])
  })
})

describe('nothing personal lies around', () => {
  it('exports a crash left behind are gone when the hub or the desktop starts again', async () => {
    const { createCore } = await import('../../electron/core')
    const { quietLogger } = await import('../helpers/core')
    const { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'leadline-exports-'))
    try {
      mkdirSync(join(dir, 'exports'), { recursive: true })
      writeFileSync(join(dir, 'exports', 'report-7-1.xlsx'), '13807711234')
      const core = await createCore({ dataDir: dir, logger: quietLogger, recallEveryMs: null, exclusive: true })
      core.close()
      expect(existsSync(join(dir, 'exports', 'report-7-1.xlsx'))).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('bulk reads of whole numbers', () => {
  it('are written to the audit log past 1,000 rows in an hour, and refused past 20,000', async () => {
    const { insertLeads } = await import('../helpers/leads')
    insertLeads(env.core.db, 200)
    const admin = await loginAs(env.core, 'admin')
    const bulk = () =>
      env.core.db.prepare("SELECT details FROM audit_log WHERE action = 'leads.bulkRead'").pluck().all()
    for (let i = 0; i < 5; i++) await ok(admin.invoke('leads.search', { limit: 200 }))
    expect(bulk()).toEqual([])
    await ok(admin.invoke('leads.search', { limit: 200 }))
    expect(bulk()).toHaveLength(1)
    expect(JSON.parse(bulk()[0] as string)).toMatchObject({ rows: 1200 })
    for (let i = 6; i < 100; i++) await ok(admin.invoke('leads.search', { limit: 200 }))
    expect(await admin.invoke('leads.search', { limit: 200 })).toMatchObject({
      ok: false,
      error: { key: 'errors.tooManyReads' }
    })
    // once in the hour, and the next hour reads again
    expect(bulk()).toHaveLength(1)
    env.clock.advance(60 * 60 * 1000)
    const again = await loginAs(env.core, 'admin')
    expect((await ok<{ rows: unknown[] }>(again.invoke('leads.search', { limit: 200 }))).rows).toHaveLength(200)
  })
})

describe('a supplier’s cells are kept for the import report, not forever', () => {
  it('after the retention period (90 days) a report row keeps its outcome and reason, and the list’s cells are gone', async () => {
    const sup = await loginAs(env.core, 'supervisor')
    const batchId = await importList(sup, ['姓名,手机,身份证号,备注', '张伟,1380771,,供应商备注'].join('\n'))
    const rows = () =>
      ok<{ rows: { rowNo: number; outcome: string; reason: string }[] }>(sup.invoke('leads.importRows', { batchId }))
    const before = (await rows()).rows
    expect(before).toEqual([
      { rowNo: 2, outcome: 'invalid', reason: '电话号码位数太少', phone: expect.any(String), region: '', carrier: '' }
    ])
    env.clock.advance(89 * 86_400_000)
    expect(env.core.retention.run(false, 'test').removed.supplierRows).toBe(0)
    env.clock.advance(2 * 86_400_000)
    expect(env.core.retention.run(true, 'test').removed.supplierRows).toBe(1)
    expect(env.core.retention.run(false, 'test').removed.supplierRows).toBe(1)
    expect(env.core.db.prepare('SELECT raw, detail FROM import_rows WHERE batch_id = ?').get(batchId)).toEqual({
      raw: '[]',
      detail: null
    })
    const again = await loginAs(env.core, 'supervisor')
    const after = await ok<{ rows: { outcome: string; reason: string }[] }>(
      again.invoke('leads.importRows', { batchId })
    )
    expect(after.rows).toMatchObject([
      { outcome: 'invalid', reason: '电话号码位数太少（已超过保留期限，名单原文已删除）' }
    ])
    const report = await ok<{ token: string }>(again.invoke('leads.importReport', { batchId, format: 'csv' }))
    const file = Buffer.from(
      (await ok<{ data: string }>(again.invoke('downloads.read', { token: report.token }))).data,
      'base64'
    ).toString('utf8')
    expect(file).not.toContain('供应商备注')
    expect(file).not.toContain('张伟')
  })
})
