import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ExcelJS from 'exceljs'
import { createCore, type Core, type CoreConnection } from '../../electron/core'
import { fingerprint, loginAs, makeCore, quietLogger, ok } from '../helpers/core'
import { upload } from '../helpers/upload'

const FIX = join(__dirname, '../fixtures/leads')

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
let sup: CoreConnection
beforeEach(async () => {
  env = await makeCore()
  sup = await loginAs(env.core, 'supervisor')
})
afterEach(() => env.cleanup())

async function waitForJob(conn: CoreConnection, jobId: string) {
  for (let i = 0; i < 400; i++) {
    const j = await ok<{ state: string }>(conn.invoke('leads.importJob', { jobId }))
    if (j.state !== 'running')
      return j as { state: string; result: { batchId: number } | null; error: { message: string } | null }
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('import did not finish')
}

async function importFixture(conn: CoreConnection, file: string, source = 'vendorA') {
  const uploadId = await upload(conn, file, readFileSync(join(FIX, file)))
  const preview = await ok<{ mapping: (string | null)[] }>(conn.invoke('leads.previewImport', { uploadId, source }))
  const job = await ok<{ jobId: string }>(
    conn.invoke('leads.import', { uploadId, source, policy: 'skip', mapping: preview.mapping })
  )
  return waitForJob(conn, job.jobId)
}

describe('import through the contract', () => {
  it('uploads, previews, imports with progress and finish events, and saves the mapping for the source', async () => {
    const events: string[] = []
    sup.subscribe((name) => events.push(name))
    const done = await importFixture(sup, 'utf8-bom.csv')
    expect(done).toMatchObject({ state: 'done', result: { imported: 5, duplicatesInFile: 1, invalid: 2 } })
    expect(events).toContain('leads.importProgress')
    expect(events).toContain('leads.importFinished')
    const batches = await ok<{ fileName: string; createdBy: string }[]>(sup.invoke('leads.batches', {}))
    expect(batches[0]).toMatchObject({
      fileName: 'utf8-bom.csv',
      source: 'vendorA',
      imported: 5,
      createdBy: 'supervisor'
    })
    // the mapping is remembered for the source: a custom choice comes back next time
    const uploadId = await upload(sup, 'again.csv', readFileSync(join(FIX, 'utf8-bom.csv')))
    const custom = ['name', 'phone', 'gender', 'idNo', 'address', 'employer', null, 'note']
    const job = await ok<{ jobId: string }>(
      sup.invoke('leads.import', { uploadId, source: 'vendorA', policy: 'skip', mapping: custom })
    )
    await waitForJob(sup, job.jobId)
    const third = await upload(sup, 'third.csv', readFileSync(join(FIX, 'utf8-bom.csv')))
    expect(await ok(sup.invoke('leads.previewImport', { uploadId: third, source: 'vendorA' }))).toMatchObject({
      mapping: custom,
      mappingFrom: 'saved'
    })
    expect(await ok(sup.invoke('leads.previewImport', { uploadId: third, source: 'other' }))).toMatchObject({
      mappingFrom: 'suggested'
    })
  })

  it('a bad file fails the job with the reason, and the pool is unchanged', async () => {
    const before = fingerprint(env.core)
    const uploadId = await upload(sup, 'pic.csv', readFileSync(join(FIX, 'image-renamed.csv')))
    expect(await sup.invoke('leads.previewImport', { uploadId })).toMatchObject({
      ok: false,
      error: { key: 'errors.notASpreadsheet' }
    })
    expect(fingerprint(env.core)).toBe(before)
    // no list can be made of it: the upload is gone at once, not kept for half an hour
    expect(await sup.invoke('leads.previewImport', { uploadId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
  })

  it('another user cannot use or add to my upload', async () => {
    const uploadId = await upload(sup, 'x.csv', readFileSync(join(FIX, 'gbk.csv')))
    const admin = await loginAs(env.core, 'admin')
    expect(await admin.invoke('leads.previewImport', { uploadId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
    expect(await admin.invoke('uploads.chunk', { uploadId, offset: 0, data: 'AAAA' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
  })

  it('the rejected-rows report downloads as XLSX and as CSV, with the reason for every row not imported', async () => {
    const done = await importFixture(sup, 'utf8-bom.csv')
    const x = await ok<{ token: string; rows: number; fileName: string }>(
      sup.invoke('leads.importReport', { batchId: done.result!.batchId, format: 'xlsx' })
    )
    expect(x.fileName).toBe('utf8-bom-导入报告.xlsx')
    // the token is the supervisor's: another user gets nothing for it
    const admin = await loginAs(env.core, 'admin')
    expect(await admin.invoke('downloads.read', { token: x.token })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
    const file = await ok<{ data: string }>(sup.invoke('downloads.read', { token: x.token }))
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.data, 'base64') as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]
    const rows = ws
      .getSheetValues()
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1, 6))
    // 归属地 and carrier from the number's prefix; none for a number that is not one
    expect(rows).toEqual([
      ['行号', '结果', '原因', '号码归属地', '运营商'],
      [6, '文件内重复', '与文件中第 2 行的号码重复', '广西南宁市', '中国移动'],
      [7, '无效', '电话号码位数太少', '', ''],
      [8, '已导入（有提示）', '身份证号中的出生日期无效，未导入该字段', '广西南宁市', '中国移动'],
      [11, '无效', '没有电话号码', '', '']
    ])
    const c = await ok<{ token: string }>(
      sup.invoke('leads.importReport', { batchId: done.result!.batchId, format: 'csv' })
    )
    const csv = Buffer.from(
      (await ok<{ data: string }>(sup.invoke('downloads.read', { token: c.token }))).data,
      'base64'
    ).toString('utf8')
    expect(csv.startsWith('\ufeff行号,结果,原因,号码归属地,运营商,客户姓名,手机号')).toBe(true)
    expect(csv).toContain('7,无效,电话号码位数太少,,,陈静,1387711000')
  })
})

describe('the pool', () => {
  beforeEach(async () => {
    await importFixture(sup, 'utf8-bom.csv')
    await importFixture(sup, 'gbk.csv')
  })

  it('finds leads by any part of a name, phone or address, Chinese included', async () => {
    const names = async (q: string) =>
      (await ok<{ rows: { name: string }[] }>(sup.invoke('leads.search', { q }))).rows.map((r) => r.name).sort()
    expect(await names('韦小宝')).toEqual(['韦小宝'])
    expect(await names('小宝')).toEqual(['韦小宝'])
    expect(await names('张')).toEqual(['张伟'])
    expect(await names('星光大道')).toEqual(['李娜'])
    expect(await names('7711000')).toEqual(['刘洋', '张伟', '李娜', '王芳'].sort())
    expect(await names('５５５１２３')).toEqual(['黄磊'])
    expect(await names('')).toHaveLength(8)
    const filtered = await ok<{ rows: { name: string }[] }>(sup.invoke('leads.search', { districtCode: '450103' }))
    expect(filtered.rows.map((r) => r.name).sort()).toEqual(['张伟', '韦小宝'].sort())
  })

  it('do-not-call: a list imports all or nothing; a bare column of numbers works too', async () => {
    const withHeader = await upload(sup, 'dnc.csv', Buffer.from('手机号,备注\n13977120001,投诉\n13977120003,\nabc,\n'))
    expect(await ok(sup.invoke('dnc.import', { uploadId: withHeader, reason: '投诉名单', days: null }))).toEqual({
      rows: 3,
      added: 2,
      invalid: 1,
      leadsStopped: 2
    })
    expect(
      env.core.db
        .prepare("SELECT phone, status FROM leads WHERE phone IN ('13977120001','13977120003') ORDER BY phone")
        .all()
    ).toEqual([
      { phone: '13977120001', status: 'dnc' },
      { phone: '13977120003', status: 'dnc' }
    ])
    const bare = await upload(sup, 'bare.txt', Buffer.from('13877110001\n13877110002\n'))
    expect(await ok(sup.invoke('dnc.import', { uploadId: bare, reason: '客户要求', days: 180 }))).toEqual({
      rows: 2,
      added: 2,
      invalid: 0,
      leadsStopped: 2
    })
    const bad = await upload(sup, 'x.csv', Buffer.from('姓名,地址\n张三,南宁\n'))
    expect(await sup.invoke('dnc.import', { uploadId: bad, reason: 'x', days: 180 })).toMatchObject({
      ok: false,
      error: { key: 'errors.noPhoneColumn' }
    })
    expect(env.core.db.prepare('SELECT count(*) FROM dnc_entries').pluck().get()).toBe(4)
  })

  it('leads not yet in the search index are found too (an import being indexed)', async () => {
    env.core.db.exec('UPDATE leads_fts_state SET upto = 3')
    env.core.db.exec('DELETE FROM leads_fts WHERE rowid > 3')
    const names = async (q: string) =>
      (await ok<{ rows: { name: string }[] }>(sup.invoke('leads.search', { q }))).rows.map((r) => r.name).sort()
    expect(await names('7711000')).toEqual(['刘洋', '张伟', '李娜', '王芳'].sort())
    expect(await names('小宝')).toEqual(['韦小宝'])
    expect(await names('韦小宝')).toEqual(['韦小宝'])
    expect(env.core.leads.indexSearch()).toBe(5)
    expect(await names('韦小宝')).toEqual(['韦小宝'])
  })

  it('pages newest first', async () => {
    const p1 = await ok<{ rows: { id: number }[]; nextBeforeId: number }>(sup.invoke('leads.search', { limit: 4 }))
    const p2 = await ok<{ rows: { id: number }[]; nextBeforeId: number | null }>(
      sup.invoke('leads.search', { limit: 4, beforeId: p1.nextBeforeId })
    )
    expect(p1.rows).toHaveLength(4)
    expect(p2.rows).toHaveLength(4)
    expect(p2.nextBeforeId).toBeNull()
    const ids = [...p1.rows, ...p2.rows].map((r) => r.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
  })

  it('an operator sees only their own leads, with masked numbers; another operator’s lead is FORBIDDEN', async () => {
    const op1 = await loginAs(env.core, 'op1')
    expect((await ok<{ rows: unknown[] }>(op1.invoke('leads.search', {}))).rows).toEqual([])
    const ids = env.core.db.prepare('SELECT id FROM leads ORDER BY id').pluck().all() as number[]
    const opId = (name: string) =>
      env.core.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(name) as number
    env.core.db
      .prepare("INSERT INTO allocations (lead_id, operator_id, day, allocated_at) VALUES (?, ?, '2026-11-23', 'x')")
      .run(ids[0], opId('op1'))
    env.core.db
      .prepare("INSERT INTO allocations (lead_id, operator_id, day, allocated_at) VALUES (?, ?, '2026-11-23', 'x')")
      .run(ids[1], opId('op2'))
    const mine = await ok<{ rows: { id: number; phone: string }[] }>(op1.invoke('leads.search', {}))
    expect(mine.rows).toEqual([expect.objectContaining({ id: ids[0], phone: '138****0001' })])
    const card = await ok<{ phone: string; idNo: string }>(op1.invoke('leads.get', { id: ids[0] }))
    expect(card).toMatchObject({ phone: '138****0001', idNo: '450103********1236' })
    expect(await op1.invoke('leads.get', { id: ids[1] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // a supervisor sees the full number, and that is in the audit log
    expect(await ok(sup.invoke('leads.get', { id: ids[0] }))).toMatchObject({
      phone: '13877110001',
      idNo: '450103198503151236'
    })
    expect(env.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'leads.view'").pluck().get()).toBe(1)
  })

  it('a lead’s detail has its imports and history', async () => {
    const id = env.core.db.prepare("SELECT id FROM leads WHERE phone = '13977120001'").pluck().get() as number
    const d = await ok<{ batches: unknown[]; history: { kind: string }[]; extra: object }>(
      sup.invoke('leads.get', { id })
    )
    expect(d.batches).toEqual([expect.objectContaining({ fileName: 'gbk.csv' })])
    expect(d.history.map((h) => h.kind)).toEqual(['imported'])
  })

  it('do-not-call: added for 180 days it makes the lead undialable; removed, it comes back; both audited', async () => {
    const r = await ok<{ expiresAt: string }>(
      sup.invoke('dnc.add', { phone: '+86 139-7712-0001', reason: '客户拒绝', days: 180 })
    )
    expect(new Date(r.expiresAt).getTime() - env.clock.now().getTime()).toBe(180 * 24 * 3600_000)
    expect(env.core.db.prepare("SELECT status FROM leads WHERE phone = '13977120001'").pluck().get()).toBe('dnc')
    expect(await ok<unknown[]>(sup.invoke('dnc.list', { q: '7712' }))).toEqual([
      expect.objectContaining({ phone: '13977120001', reason: '客户拒绝', addedBy: 'supervisor' })
    ])
    // permanent on request
    expect(
      await ok(sup.invoke('dnc.add', { phone: '13977120001', reason: '要求永久不再来电', days: null }))
    ).toMatchObject({ expiresAt: null })
    // taking a number off is an administrator's, with a reason
    expect(await sup.invoke('dnc.remove', { phone: '13977120001', reason: '客户重新同意' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    const admin = await loginAs(env.core, 'admin')
    expect(await ok(admin.invoke('dnc.remove', { phone: '13977120001', reason: '客户重新同意' }))).toEqual({ ok: true })
    expect(env.core.db.prepare("SELECT status FROM leads WHERE phone = '13977120001'").pluck().get()).toBe('new')
    expect(await sup.invoke('dnc.add', { phone: '12345', reason: 'x', days: 180 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })
    const actions = env.core.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'dnc.%'").pluck().all()
    expect(actions).toEqual(['dnc.add', 'dnc.add', 'dnc.remove'])
  })
})

describe('the import worker (built bundle)', () => {
  const worker = resolve('out/main/import-worker.js')
  it('runs the import on its own thread and can be cancelled half way with the pool unchanged', async () => {
    expect(existsSync(worker)).toBe(true)
    const core: Core = await createCore({
      dataDir: join(env.dir, 'w'),
      demo: true,
      demoLeads: false,
      logger: quietLogger,
      importWorkerFile: worker
    })
    try {
      const conn = await loginAs(core, 'supervisor')
      const rows = Array.from(
        { length: 60_000 },
        (_, i) => `客户${i},139${String(i).padStart(8, '0')},南宁市青秀区民族大道${i}号`
      ).join('\n')
      const uploadId = await upload(conn, 'big.csv', Buffer.from(`姓名,手机,地址\n${rows}\n`))
      const before = fingerprint(core)
      let cancelled = false
      conn.subscribe((name, payload) => {
        if (name === 'leads.importProgress' && (payload as { done: number }).done >= 20_000 && !cancelled) {
          cancelled = true
          void conn.invoke('leads.cancelImport', { jobId: (payload as { jobId: string }).jobId })
        }
      })
      const job = await ok<{ jobId: string }>(
        conn.invoke('leads.import', { uploadId, source: 's', policy: 'skip', mapping: ['name', 'phone', 'address'] })
      )
      // the core answers while the worker imports
      expect((await conn.invoke('auth.me', {})).ok).toBe(true)
      const end = await waitForJob(conn, job.jobId)
      expect(end.state).toBe('cancelled')
      // said in the reader's language (it was the English text whatever the seat spoke)
      expect(end.error?.message).toBe('导入已取消，名单池未做任何改动')
      expect(fingerprint(core)).toBe(before)

      const again = await upload(
        conn,
        'big.csv',
        Buffer.from(`姓名,手机,地址\n${rows.split('\n').slice(0, 30_000).join('\n')}\n`)
      )
      const job2 = await ok<{ jobId: string }>(
        conn.invoke('leads.import', {
          uploadId: again,
          source: 's',
          policy: 'skip',
          mapping: ['name', 'phone', 'address']
        })
      )
      expect(await waitForJob(conn, job2.jobId)).toMatchObject({ state: 'done', result: { imported: 30_000 } })
      expect(core.db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(30_000)
    } finally {
      core.close()
    }
  })
})

describe('the parse thread (built bundle)', () => {
  const parseWorker = resolve('out/main/parse-worker.js')
  it('prepares a big file on a second thread with exactly the same result as in line', async () => {
    expect(existsSync(parseWorker)).toBe(true)
    const lines = Array.from({ length: 120_000 }, (_, i) =>
      i % 97 === 0
        ? `坏号${i},12345,南宁市青秀区`
        : `客户${i},138${String(i % 110_000).padStart(8, '0')},南宁市${i % 2 ? '横县' : '武鸣县'}某路${i}号`
    )
    const bytes = Buffer.from(`姓名,手机,地址\n${lines.join('\n')}\n`)
    expect(bytes.length).toBeGreaterThan(4 * 1024 * 1024)
    const results = []
    for (const parseWorkerFile of [null, parseWorker]) {
      const core = await createCore({
        dataDir: join(env.dir, `p-${results.length}`),
        demo: false,
        logger: quietLogger,
        parseWorkerFile,
        recallEveryMs: null
      })
      try {
        core.db
          .prepare(
            "INSERT INTO dnc_entries (phone, reason, source, effective_at, added_at) VALUES ('13800000500', 'x', 'customer_request', '2026-01-01T00:00:00Z', 't')"
          )
          .run()
        const r = await core.leads.importFile(
          bytes,
          { fileName: 'big.csv', source: 's', campaignId: 1, policy: 'skip', userId: null },
          {},
          'test'
        )
        const leadsDump = core.db.prepare('SELECT phone, name, district_code FROM leads ORDER BY id').all()
        const report = core.db
          .prepare('SELECT row_no, outcome, reason, detail, raw FROM import_rows ORDER BY row_no')
          .all()
        results.push({ r, leadsDump, report })
      } finally {
        core.close()
      }
    }
    expect(results[0].r).toMatchObject({ rows: 120_000, dnc: 1 })
    expect(results[1].r).toEqual(results[0].r)
    expect(results[1].leadsDump).toEqual(results[0].leadsDump)
    expect(results[1].report).toEqual(results[0].report)
  })

  it('the preview of a big file is read on a thread of its own: the hub’s thread keeps turning meanwhile, and says the same as in line', async () => {
    const lines = Array.from(
      { length: 150_000 },
      (_, i) => `客户${i},138${String(i).padStart(8, '0')},南宁市某路${i}号`
    )
    const bytes = Buffer.from(`姓名,手机,地址\n${lines.join('\n')}\n`)
    const previews = []
    for (const parseWorkerFile of [null, parseWorker]) {
      const core = await createCore({
        dataDir: join(env.dir, `pv-${previews.length}`),
        demo: false,
        logger: quietLogger,
        parseWorkerFile,
        recallEveryMs: null
      })
      try {
        // how often this thread's event loop turns while the preview is read
        let turns = 0
        let ticking = true
        const tick = () => {
          turns++
          if (ticking) setImmediate(tick)
        }
        setImmediate(tick)
        const preview = await core.leads.preview(bytes, {})
        ticking = false
        previews.push({ preview, turns })
      } finally {
        core.close()
      }
    }
    expect(previews[0].preview).toMatchObject({ totalRows: 150_000, headers: ['姓名', '手机', '地址'] })
    expect(previews[1].preview).toEqual(previews[0].preview)
    // in line, the whole read holds the thread (it turns once or twice); on its own thread, it turns all along
    expect(previews[0].turns).toBeLessThan(5)
    expect(previews[1].turns).toBeGreaterThan(50)
  })

  it('a file that cannot be read fails with its reason from the parse thread', async () => {
    const core = await createCore({
      dataDir: join(env.dir, 'p-bad'),
      demo: false,
      logger: quietLogger,
      parseWorkerFile: parseWorker,
      recallEveryMs: null
    })
    try {
      const png = Buffer.concat([readFileSync(join(FIX, 'image-renamed.csv')), Buffer.alloc(5 * 1024 * 1024)])
      await expect(
        core.leads.importFile(
          png,
          { fileName: 'x.csv', source: 's', campaignId: 1, policy: 'skip', userId: null },
          {},
          'test'
        )
      ).rejects.toMatchObject({
        key: 'errors.notASpreadsheet'
      })
      const gbkAsUtf8 = Buffer.concat(Array.from({ length: 40_000 }, () => readFileSync(join(FIX, 'gbk.csv'))))
      await expect(
        core.leads.importFile(
          gbkAsUtf8,
          { fileName: 'x.csv', source: 's', campaignId: 1, policy: 'skip', userId: null, encoding: 'utf-8' },
          {},
          'test'
        )
      ).rejects.toMatchObject({
        key: 'errors.wrongEncoding'
      })
      expect(core.db.prepare('SELECT count(*) FROM import_batches').pluck().get()).toBe(0)
    } finally {
      core.close()
    }
  })
})
