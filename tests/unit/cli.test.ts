import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import JSZip from 'jszip'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { tempDir } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { SCHEMA_VERSION } from '../../electron/core/db/migrate'

/** The built CLI (`npx leadline`, out/main/cli.js) run as an administrator runs it. */
const CLI = resolve('out/main/cli.js')

function leadline(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, LANG: 'C', ...env }
  })
  const lines = r.stdout.trim().split('\n').filter(Boolean)
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    json: lines.length ? JSON.parse(lines[lines.length - 1]) : null
  }
}

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir('leadline-cli-')
})
afterEach(() => tmp.cleanup())

describe('leadline CLI', () => {
  it('is built (run `npm run build` first)', () => {
    expect(existsSync(CLI)).toBe(true)
  })

  it('users add, then list shows them; a bad role is refused with a JSON error and a non-zero exit', () => {
    const data = join(tmp.dir, 'data')
    const add = leadline([
      'users',
      'add',
      'zhang3',
      '--role',
      'operator',
      '--name',
      '张三',
      '--staff-no',
      '2001',
      '--password',
      'secret-123',
      '--data',
      data,
      '--json'
    ])
    expect(add.code).toBe(0)
    expect(add.json).toMatchObject({
      user: { username: 'zhang3', role: 'operator', displayName: '张三', staffNo: '2001' }
    })
    const gen = leadline([
      'users',
      'add',
      'li4',
      '--role',
      'field_agent',
      '--district',
      '450110',
      '--data',
      data,
      '--json'
    ])
    expect(gen.code).toBe(0)
    expect(gen.json.password).toMatch(/^[A-Za-z0-9_-]{12}$/)

    const list = leadline(['users', 'list', '--data', data, '--json'])
    expect(list.code).toBe(0)
    expect(list.json.users.map((u: { username: string }) => u.username).sort()).toEqual(['li4', 'zhang3'])
    // a fresh data folder opened by the CLI gets no demo team
    expect(list.json.users).toHaveLength(2)

    const bad = leadline([
      'users',
      'add',
      'wang5',
      '--role',
      'boss',
      '--password',
      'secret-123',
      '--data',
      data,
      '--json'
    ])
    expect(bad.code).not.toBe(0)
    expect(bad.json).toEqual({ error: { code: 'INVALID_INPUT', message: expect.any(String) } })
    expect(leadline(['users', 'list', '--data', data, '--json']).json.users).toHaveLength(2)

    const dup = leadline([
      'users',
      'add',
      'ZHANG3',
      '--role',
      'qa',
      '--password',
      'secret-123',
      '--data',
      data,
      '--json'
    ])
    expect(dup.json).toEqual({ error: { code: 'CONFLICT', message: 'The user name “ZHANG3” is taken' } })
  })

  it('speaks Chinese when the environment does', () => {
    const r = leadline(
      ['users', 'add', 'x', '--role', 'qa', '--password', 'short', '--data', join(tmp.dir, 'd'), '--json'],
      { LANG: 'zh_CN.UTF-8' }
    )
    expect(r.json.error).toMatchObject({ code: 'INVALID_INPUT', message: '“用户名”至少 2 个字' })
  })

  it('users passwd sets a password the user can then log in with', () => {
    const data = join(tmp.dir, 'data')
    leadline(['users', 'add', 'qa2', '--role', 'qa', '--password', 'secret-123', '--data', data, '--json'])
    const r = leadline(['users', 'passwd', 'qa2', '--password', 'another-456', '--data', data, '--json'])
    expect(r).toMatchObject({ code: 0, json: { username: 'qa2' } })
    const missing = leadline(['users', 'passwd', 'ghost', '--data', data, '--json'])
    expect(missing.code).not.toBe(0)
    expect(missing.json.error.code).toBe('NOT_FOUND')
  })

  it('takes a password from a file or the standard input, and warns when one is on the command line', () => {
    const data = join(tmp.dir, 'data')
    const onArgv = leadline([
      'users',
      'add',
      'qa3',
      '--role',
      'qa',
      '--password',
      'secret-123',
      '--data',
      data,
      '--json'
    ])
    expect(onArgv.code).toBe(0)
    expect(onArgv.stderr).toContain('process list')
    const file = join(tmp.dir, 'pw.txt')
    writeFileSync(file, 'from-a-file-789\n', { mode: 0o600 })
    const fromFile = leadline(['users', 'passwd', 'qa3', '--password-file', file, '--data', data, '--json'])
    expect(fromFile).toMatchObject({ code: 0, json: { username: 'qa3' } })
    expect(fromFile.stderr).toBe('')
    // the password was set, not generated: none is printed
    expect(fromFile.json.password).toBeUndefined()
    const stdin = spawnSync(
      process.execPath,
      [CLI, 'users', 'passwd', 'qa3', '--password-file', '-', '--data', data, '--json'],
      {
        input: 'from-stdin-456\n',
        encoding: 'utf8',
        env: { ...process.env, LANG: 'C' }
      }
    )
    expect(stdin.status).toBe(0)
    expect(
      leadline(['users', 'passwd', 'qa3', '--password-file', join(tmp.dir, 'none.txt'), '--data', data, '--json']).code
    ).not.toBe(0)
  })

  it('backup then restore round-trips the data; later changes are undone by the restore', () => {
    const data = join(tmp.dir, 'data')
    leadline(['users', 'add', 'keepme', '--role', 'supervisor', '--password', 'secret-123', '--data', data, '--json'])
    const file = join(tmp.dir, 'backups', 'b1.db')
    const b = leadline(['backup', file, '--data', data, '--json'])
    expect(b.code).toBe(0)
    expect(b.json).toMatchObject({ file, integrity: 'ok', schemaVersion: SCHEMA_VERSION })
    expect(b.json.bytes).toBeGreaterThan(0)

    leadline(['users', 'add', 'after', '--role', 'qa', '--password', 'secret-123', '--data', data, '--json'])
    expect(leadline(['users', 'list', '--data', data, '--json']).json.users).toHaveLength(2)

    const r = leadline(['restore', file, '--data', data, '--json'])
    expect(r.code).toBe(0)
    expect(r.json.previousKeptAs).toContain('before-restore')
    expect(existsSync(r.json.previousKeptAs)).toBe(true)
    const users = leadline(['users', 'list', '--data', data, '--json']).json.users.map(
      (u: { username: string }) => u.username
    )
    expect(users).toEqual(['keepme'])
  })

  it('backup DIR takes everything under a passphrase; restore of the set needs it and brings the key back', () => {
    const data = join(tmp.dir, 'data')
    leadline(['users', 'add', 'keepme', '--role', 'operator', '--password', 'secret-123', '--data', data, '--json'])
    leadline([
      'sip',
      'set',
      'keepme',
      '--ws',
      'wss://pbx.local/ws',
      '--domain',
      'pbx.local',
      '--ext',
      '2001',
      '--password',
      'line-pw-1',
      '--data',
      data,
      '--json'
    ])
    const dest = join(tmp.dir, 'nas')
    const none = leadline(['backup', dest, '--data', data, '--json'])
    expect(none.code).not.toBe(0)
    expect(none.json.error.message).toContain('passphrase')
    const b = leadline(['backup', dest, '--data', data, '--json'], { LEADLINE_BACKUP_PASSPHRASE: 'night shift' })
    expect(b.code).toBe(0)
    expect(b.json).toMatchObject({ database: { schemaVersion: SCHEMA_VERSION }, recordings: { files: 0, copied: 0 } })
    const target = join(tmp.dir, 'new-machine')
    const wrong = leadline(['restore', b.json.set, '--data', target, '--passphrase', 'day shift', '--json'])
    expect(wrong.code).not.toBe(0)
    // a passphrase on the command line works, with a warning that others on the machine can read it
    expect(wrong.stderr).toContain('--passphrase-file')
    expect(existsSync(join(target, 'leadline.db'))).toBe(false)
    // from a file, no warning
    const file = join(tmp.dir, 'passphrase.txt')
    writeFileSync(file, 'night shift\n', { mode: 0o600 })
    const r = leadline(['restore', b.json.set, '--data', target, '--passphrase-file', file, '--json'])
    expect(r).toMatchObject({ code: 0, json: { key: true } })
    expect(r.stderr).not.toContain('--passphrase-file')
    // (that the restored key opens the line's sealed password is shown in backup.test.ts)
    expect(
      leadline(['users', 'list', '--data', target, '--json']).json.users.map((u: { username: string }) => u.username)
    ).toEqual(['keepme'])
  })

  it('restore refuses a file that is not a database and leaves the data alone', () => {
    const data = join(tmp.dir, 'data')
    leadline(['users', 'add', 'stay', '--role', 'qa', '--password', 'secret-123', '--data', data, '--json'])
    const junk = join(tmp.dir, 'junk.db')
    writeFileSync(junk, 'this is not sqlite at all, just text'.repeat(200))
    const r = leadline(['restore', junk, '--data', data, '--json'])
    expect(r.code).not.toBe(0)
    expect(r.json.error.code).toBe('INVALID_INPUT')
    expect(r.json.error.message).toContain('not a usable LeadLine database')
    expect(
      leadline(['users', 'list', '--data', data, '--json']).json.users.map((u: { username: string }) => u.username)
    ).toEqual(['stay'])
  })

  it('migrate reports the schema; an unknown command is a clear error', () => {
    const data = join(tmp.dir, 'data')
    expect(leadline(['migrate', '--data', data, '--json']).json).toMatchObject({ from: 0, to: SCHEMA_VERSION })
    expect(leadline(['migrate', '--data', data, '--json']).json).toMatchObject({
      from: SCHEMA_VERSION,
      to: SCHEMA_VERSION
    })
    const r = leadline(['frobnicate', '--json'])
    expect(r.code).not.toBe(0)
    expect(r.json.error.message).toContain('Unknown command: frobnicate')
    const opt = leadline(['users', 'list', '--bogus', '--json'])
    expect(opt.code).not.toBe(0)
    expect(opt.json.error.code).toBe('INVALID_INPUT')
  })

  it('dnc import and check: a list for one campaign stops its numbers there only, from its effective day on the shifted clock', () => {
    const data = join(tmp.dir, 'data')
    expect(leadline(['migrate', '--data', data, '--json']).code).toBe(0)
    const db = new Database(join(data, 'leadline.db'))
    db.prepare("INSERT INTO campaigns (name, created_at) VALUES ('车险续保', '2026-01-01T00:00:00Z')").run()
    db.close()
    const list = join(tmp.dir, '协会名单.csv')
    writeFileSync(list, '手机号码\n13977120001\n13977120002\n12345\n')
    const dec = { LEADLINE_CLOCK_START: '2026-12-01T10:00:00+08:00' }
    const r = leadline(
      [
        'dnc',
        'import',
        list,
        '--source',
        'external_list',
        '--scope',
        'campaign:车险续保',
        '--effective-on',
        '2026-12-10',
        '--data',
        data,
        '--json'
      ],
      dec
    )
    expect(r.json).toMatchObject({ rows: 3, added: 2, invalid: 1 })
    const check = (campaign: string, env: Record<string, string>) =>
      leadline(['dnc', 'check', '--phone', '13977120001', '--campaign', campaign, '--data', data, '--json'], env).json
    // not yet in force on 12-01; in force on 12-11 for its campaign, never for the default one
    expect(check('车险续保', dec)).toEqual({ blocked: false, entry: null })
    const later = { LEADLINE_CLOCK_START: '2026-12-11T10:00:00+08:00' }
    expect(check('车险续保', later)).toMatchObject({
      blocked: true,
      entry: { source: 'external_list', scope: 'campaign', channel: 'all', expiresAt: null }
    })
    expect(check('1', later)).toEqual({ blocked: false, entry: null })
    // a bad scope or source is a clear error, and nothing is written
    expect(leadline(['dnc', 'import', list, '--scope', 'galaxy', '--data', data, '--json'])).toMatchObject({
      code: 1,
      json: { error: { code: 'INVALID_INPUT' } }
    })
    expect(leadline(['dnc', 'import', list, '--source', 'rumour', '--data', data, '--json']).code).toBe(1)
    const db2 = new Database(join(data, 'leadline.db'), { readonly: true })
    expect(db2.prepare('SELECT count(*) FROM dnc_entries').pluck().get()).toBe(2)
    db2.close()
  })

  it('privacy export and erase, retention run: a customer found, then gone from the database; a dry run on the shifted clock', async () => {
    const data = join(tmp.dir, 'data')
    expect(leadline(['migrate', '--data', data, '--json']).code).toBe(0)
    const db = new Database(join(data, 'leadline.db'))
    insertLeads(db, 1, { first: 77125555, at: '2026-11-01T02:00:00Z' })
    insertLeads(db, 1, { first: 77126666, at: '2026-11-01T02:00:00Z' })
    db.close()
    const out = join(tmp.dir, 'export.zip')
    const exp = leadline(['privacy', 'export', '--phone', '139 7712 5555', '--out', out, '--data', data, '--json'])
    expect(exp.json).toMatchObject({ leads: 1, calls: 0, recordings: 0 })
    const zip = await JSZip.loadAsync(readFileSync(out))
    expect(JSON.parse(await zip.file('customer.json')!.async('string')).leads[0]).toMatchObject({
      phone: '13977125555'
    })
    // an erasure needs its reason
    expect(leadline(['privacy', 'erase', '--phone', '13977125555', '--data', data, '--json']).code).toBe(1)
    const erased = leadline([
      'privacy',
      'erase',
      '--phone',
      '13977125555',
      '--reason',
      '客户要求删除',
      '--data',
      data,
      '--json'
    ])
    expect(erased.json).toMatchObject({ removed: { leads: 1 }, phoneHash: expect.stringMatching(/^h:/) })
    expect(readFileSync(join(data, 'leadline.db')).includes(Buffer.from('13977125555'))).toBe(false)
    // a year and more later the other lead (never called) is past its time: a dry run says so and keeps it
    const later = { LEADLINE_CLOCK_START: '2027-12-01T10:00:00+08:00' }
    const dry = leadline(['retention', 'run', '--dry-run', '--data', data, '--json'], later)
    expect(dry.json).toMatchObject({ dryRun: true, removed: { leadsUnsigned: 1 } })
    const db2 = new Database(join(data, 'leadline.db'), { readonly: true })
    expect(db2.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(1)
    db2.close()
    expect(leadline(['retention', 'run', '--data', data, '--json'], later).json).toMatchObject({
      dryRun: false,
      removed: { leadsUnsigned: 1 }
    })
  })

  it('numbers import and pick: the pool from a file, and the number a customer would see, with why', () => {
    const data = join(tmp.dir, 'data')
    expect(leadline(['migrate', '--data', data, '--json']).code).toBe(0)
    const pool = join(tmp.dir, '外显号码.csv')
    writeFileSync(
      pool,
      'number,carrier,line,campaign,status\n+86 771 5123456,China Telecom,GX-1,,active\n0773-2123456,电信,GX-2,1,启用\n'
    )
    expect(leadline(['numbers', 'import', pool, '--data', data, '--json']).json).toMatchObject({ rows: 2, added: 2 })
    const pick = (phone: string) =>
      leadline(['numbers', 'pick', '--phone', phone, '--campaign', '1', '--data', data, '--json']).json
    expect(pick('0773-2881234')).toEqual({ number: '+867732123456', digits: '07732123456', reason: 'sameCity' })
    expect(pick('0772-2881234')).toMatchObject({ reason: 'sameProvince' })
    expect(pick('010-62881234')).toMatchObject({ reason: 'any' })
    // a service number refuses the file, and nothing changes
    writeFileSync(pool, '号码,状态\n95511,启用\n')
    const bad = leadline(['numbers', 'import', pool, '--data', data, '--json'])
    expect(bad).toMatchObject({ code: 1, json: { error: { code: 'INVALID_INPUT' } } })
    expect(leadline(['numbers', 'list', '--data', data, '--json']).json.numbers).toHaveLength(2)
  })

  it('apikey create, list, revoke: the key printed once, never listed; a bad scope is a clear error', () => {
    const data = join(tmp.dir, 'data')
    expect(leadline(['migrate', '--data', data, '--json']).code).toBe(0)
    const made = leadline([
      'apikey',
      'create',
      '--name',
      '保险公司CRM',
      '--scopes',
      'leads:write,events:read',
      '--data',
      data,
      '--json'
    ])
    expect(made.code).toBe(0)
    const key = (made.json as { key: string }).key
    expect(key).toMatch(/^ll_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/)
    const listed = leadline(['apikey', 'list', '--data', data, '--json'])
    expect(listed.json.keys).toEqual([
      expect.objectContaining({ name: '保险公司CRM', scopes: ['leads:write', 'events:read'], revokedAt: null })
    ])
    expect(JSON.stringify(listed.json)).not.toContain(key.slice(12))
    expect(
      leadline(['apikey', 'create', '--name', 'x', '--scopes', 'leads:everything', '--data', data, '--json'])
    ).toMatchObject({
      code: 1,
      json: { error: { code: 'INVALID_INPUT' } }
    })
    expect(leadline(['apikey', 'revoke', key, '--data', data, '--json']).code).toBe(0)
    expect(leadline(['apikey', 'list', '--data', data, '--json']).json.keys[0].revokedAt).not.toBeNull()
  })

  it('sip set, list, remove: a line from the shell with --json; the password never printed; a bad option is a clear error', () => {
    const data = join(tmp.dir, 'data')
    expect(
      leadline([
        'users',
        'add',
        'wangfang',
        '--role',
        'operator',
        '--name',
        '王芳',
        '--password',
        'secret-123',
        '--data',
        data,
        '--json'
      ]).code
    ).toBe(0)
    const set = leadline([
      'sip',
      'set',
      'wangfang',
      '--ws',
      'wss://pbx:8089/ws',
      '--domain',
      'pbx.local',
      '--ext',
      '2001',
      '--password',
      'sip-pass-9',
      '--prefix',
      '9',
      '--ice',
      '[{"urls":"turn:turn.local:3478","username":"u","credential":"turn-pass-7"}]',
      '--data',
      data,
      '--json'
    ])
    expect(set.code).toBe(0)
    expect(set.json).toMatchObject({
      line: {
        username: 'wangfang',
        sipUser: '2001',
        domain: 'pbx.local',
        wsUrl: 'wss://pbx:8089/ws',
        outsidePrefix: '9',
        iceServers: [{ urls: 'turn:turn.local:3478', username: 'u', hasCredential: true }]
      }
    })
    expect(set.stdout).not.toContain('sip-pass-9')
    expect(set.stdout).not.toContain('turn-pass-7')
    // changing the extension alone keeps the rest, the password and the TURN credential included
    expect(leadline(['sip', 'set', 'wangfang', '--ext', '2002', '--data', data, '--json']).json).toMatchObject({
      line: { sipUser: '2002', domain: 'pbx.local', iceServers: [{ hasCredential: true }] }
    })
    const list = leadline(['sip', 'list', '--data', data, '--json'])
    expect(list.json.lines).toMatchObject([{ username: 'wangfang', sipUser: '2002' }])
    expect(list.stdout).not.toContain('sip-pass-9')
    expect(spawnSync(process.execPath, [CLI, 'sip', 'list', '--data', data], { encoding: 'utf8' }).stdout).toContain(
      'wangfang\t2002\tpbx.local\twss://pbx:8089/ws\t9'
    )
    expect(leadline(['sip', 'set', 'wangfang', '--ice', 'not json', '--data', data, '--json'])).toMatchObject({
      code: 1,
      json: { error: { code: 'INVALID_INPUT' } }
    })
    expect(leadline(['sip', 'set', 'nobody', '--data', data, '--json'])).toMatchObject({
      code: 1,
      json: { error: { code: 'NOT_FOUND' } }
    })
    expect(leadline(['sip', 'remove', 'wangfang', '--data', data, '--json'])).toMatchObject({
      code: 0,
      json: { removed: 'wangfang' }
    })
    expect(leadline(['sip', 'list', '--data', data, '--json']).json.lines).toEqual([])
  })
})
