import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { demoUserOf, loginAs, makeCore, ok } from '../helpers/core'
import { ImportStage } from '../../electron/core/leads/stage-repo'
import { STRIDE } from '../../electron/core/leads/prepare'
import Database from 'better-sqlite3'
import { serialize } from 'node:v8'
import { join } from 'node:path'

type Page = { rows: { name: string; age: number | null; ageApprox: boolean; birthDate: string | null }[] }

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
beforeEach(async () => {
  env = await makeCore({ demo: true, demoLeads: false })
})
afterEach(() => env.cleanup())

// The clock stands at 2026-11-23.
const LIST = [
  '姓名,手机号,年龄,身份证号',
  '张伟,13807711234,45,', //                              2 an age only: kept as stated
  '李娜,13807711235,41岁,450103198503151236', //           3 agrees with the ID number (41 on 2026-11-23)
  '王芳,13807711236,30,450103198503151236', //             4 30 disagrees with the ID number
  '赵强,13807711237,四十,', //                             5 not an age
  '陈静,13807711238,,' //                                  6 none
].join('\r\n')

describe('年龄: a list that gives an age instead of a birth date', () => {
  it('maps the column, keeps the age when there is no birth date, and flags one that is no age or disagrees', async () => {
    const preview = await env.core.leads.preview(Buffer.from(LIST, 'utf8'), {})
    expect(preview.mapping).toEqual(['name', 'phone', 'age', 'idNo'])
    const r = await env.core.leads.importFile(
      Buffer.from(LIST, 'utf8'),
      { fileName: 'ages.csv', source: 'test', campaignId: 1, policy: 'skip', userId: null },
      {},
      'test'
    )
    expect(r).toMatchObject({ rows: 5, imported: 5, warnings: 2 })
    const stored = env.core.db.prepare('SELECT name, birth_date, stated_age FROM leads ORDER BY id').all()
    expect(stored).toEqual([
      { name: '张伟', birth_date: null, stated_age: 45 },
      { name: '李娜', birth_date: '1985-03-15', stated_age: null },
      { name: '王芳', birth_date: '1985-03-15', stated_age: null },
      { name: '赵强', birth_date: null, stated_age: null },
      { name: '陈静', birth_date: null, stated_age: null }
    ])
    const sup = await loginAs(env.core, demoUserOf('supervisor'))
    const report = await ok<{ rows: { rowNo: number; reason: string }[] }>(
      sup.invoke('leads.importRows', { batchId: r.batchId })
    )
    expect(report.rows.map((x) => [x.rowNo, x.reason])).toEqual([
      [4, '年龄 30 与出生日期不符，以出生日期为准'],
      [5, '年龄“四十”无法识别，未导入该字段']
    ])
  })

  it('the pool and the card show the age: exact from a birth date, approximate (and a year older a year later) from a stated one', async () => {
    await env.core.leads.importFile(
      Buffer.from(LIST, 'utf8'),
      { fileName: 'ages.csv', source: 'test', campaignId: 1, policy: 'skip', userId: null },
      {},
      'test'
    )
    const ages = async () =>
      Object.fromEntries(
        (await ok<Page>((await loginAs(env.core, demoUserOf('supervisor'))).invoke('leads.search', {}))).rows.map(
          (x) => [x.name, [x.age, x.ageApprox]]
        )
      )
    expect(await ages()).toEqual({
      张伟: [45, true],
      李娜: [41, false],
      王芳: [41, false],
      赵强: [null, false],
      陈静: [null, false]
    })
    env.clock.advance(366 * 86_400_000)
    const later = await ages()
    expect(later['张伟']).toEqual([46, true])
    expect(later['李娜']).toEqual([42, false])
    // the lead's page says the same
    const reader = await loginAs(env.core, demoUserOf('supervisor'))
    const id = env.core.db.prepare("SELECT id FROM leads WHERE name = '张伟'").pluck().get() as number
    expect(await ok(reader.invoke('leads.get', { id }))).toMatchObject({ age: 46, ageApprox: true, birthDate: null })
  })

  it('an import left half-written by an older version (records of 20 values) finishes after the upgrade', () => {
    const file = join(env.dir, 'old-stage.sqlite')
    const db = new Database(file)
    db.exec('CREATE TABLE chunks (first INTEGER PRIMARY KEY, n INTEGER NOT NULL, data BLOB NOT NULL)')
    const rec = (phone: string) => [
      0,
      2,
      phone,
      'mobile',
      '张伟',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      '[]',
      '广西',
      '南宁市',
      '移动'
    ]
    db.prepare('INSERT INTO chunks VALUES (0, 2, ?)').run(serialize([...rec('13807711234'), ...rec('13807711235')]))
    db.close()
    const stage = new ImportStage(file)
    const { records } = stage.read(0, 10)
    stage.close()
    expect(records.length).toBe(2 * STRIDE)
    expect(records[STRIDE + 2]).toBe('13807711235')
    expect(records[STRIDE + 19]).toBe('移动')
    expect(records[STRIDE + 20]).toBeNull()
  })
})
