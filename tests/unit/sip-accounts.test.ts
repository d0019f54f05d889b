import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { createCore } from '../../electron/core'
import { dialString } from '../../shared/domain/dialplan'
import { loginAs, makeCore, ok, quietLogger } from '../helpers/core'

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
beforeEach(async () => {
  env = await makeCore()
})
afterEach(() => env.cleanup())

/** The digest key a desk registers with: MD5(extension:SIP domain:password), never the password. */
const ha1 = (user: string, pw: string, domain = 'pbx.example.internal') =>
  createHash('md5').update(`${user}:${domain}:${pw}`).digest('hex')

const account = (userId: number, password?: string) => ({
  userId,
  wsUrl: 'wss://pbx.example.internal:8089/ws',
  domain: 'pbx.example.internal',
  sipUser: '1001',
  displayName: '王芳',
  iceServers: [{ urls: 'stun:stun.example.internal:3478' }],
  outsidePrefix: '9',
  ...(password ? { password } : {})
})

describe('SIP accounts', () => {
  it('the password is sealed at rest and handed only to the account’s owner', async () => {
    const admin = await loginAs(env.core, 'admin')
    const op1Id = env.core.db.prepare("SELECT id FROM users WHERE username = 'op1'").pluck().get() as number
    const secret = 'Sip-Pa55-' + randomBytes(6).toString('hex')
    expect((await admin.invoke('sip.setAccount', account(op1Id, secret))).ok).toBe(true)
    env.core.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(env.dir, 'leadline.db')).includes(Buffer.from(secret))).toBe(false)
    expect(statSync(join(env.dir, 'secret.key')).mode & 0o777).toBe(0o600)

    const op1 = await loginAs(env.core, 'op1')
    expect(await op1.invoke('sip.myAccount', {})).toMatchObject({
      ok: true,
      value: { sipUser: '1001', ha1: ha1('1001', secret), localAreaCode: '0771', outsidePrefix: '9' }
    })
    expect(JSON.stringify(await op1.invoke('sip.myAccount', {}))).not.toContain(secret)
    expect(await (await loginAs(env.core, 'op2')).invoke('sip.myAccount', {})).toEqual({ ok: true, value: null })
    const list = await admin.invoke('sip.accounts', {})
    expect(JSON.stringify(list)).not.toContain(secret)
    expect(await op1.invoke('sip.accounts', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

    // changing the server keeps the password unless a new one is given
    expect(
      (await admin.invoke('sip.setAccount', { ...account(op1Id), wsUrl: 'wss://pbx2.example.internal/ws' })).ok
    ).toBe(true)
    expect(await op1.invoke('sip.myAccount', {})).toMatchObject({
      ok: true,
      value: { wsUrl: 'wss://pbx2.example.internal/ws', ha1: ha1('1001', secret) }
    })
    expect(env.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'sip.setAccount'").pluck().get()).toBe(2)
  })

  it('a new account needs a password; a replaced key file is a clear error, not garbage', async () => {
    const admin = await loginAs(env.core, 'admin')
    const op2Id = env.core.db.prepare("SELECT id FROM users WHERE username = 'op2'").pluck().get() as number
    expect(await admin.invoke('sip.setAccount', account(op2Id))).toMatchObject({
      ok: false,
      error: { key: 'errors.sipPasswordRequired' }
    })
    await admin.invoke('sip.setAccount', account(op2Id, 'secret-1'))
    env.core.close()
    writeFileSync(join(env.dir, 'secret.key'), randomBytes(32))
    const again = await createCore({ dataDir: env.dir, clock: env.clock, logger: quietLogger, recallEveryMs: null })
    try {
      const op2 = await loginAs(again, 'op2')
      expect(await op2.invoke('sip.myAccount', {})).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', key: 'errors.secretUnreadable' }
      })
    } finally {
      again.close()
    }
  })
})

describe('dial plan', () => {
  const plan = { outsidePrefix: '9', localAreaCode: '0771' }
  it.each([
    ['+86 138 1234 5678', '913812345678'],
    ['0771-5551234', '95551234'],
    ['010-87654321', '901087654321'],
    ['5551234', '95551234'],
    ['1002', '1002'],
    ['1381234', null],
    ['123456789', null],
    ['abc', null]
  ])('%s → %s', (n, want) => {
    expect(dialString(n, plan)).toBe(want)
  })
  it('without an outside-line prefix', () => {
    expect(dialString('13812345678', { outsidePrefix: '', localAreaCode: '0771' })).toBe('13812345678')
  })
})

describe('SIP lines set up by an administrator', () => {
  const opId = (u = 'op1') => env.core.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(u) as number
  const turn = { urls: 'turn:turn.example.internal:3478', username: 'centre', credential: 'turn-secret-42' }

  it('a TURN credential is sealed like the password, returned only to the line’s operator, and kept when the form leaves it out', async () => {
    const admin = await loginAs(env.core, 'admin')
    const set = await admin.invoke('sip.setAccount', {
      ...account(opId(), 'pw-1'),
      iceServers: [{ urls: 'stun:stun.example.internal:3478' }, turn]
    })
    expect(set.ok).toBe(true)
    const raw = env.core.db
      .prepare('SELECT ice_servers, ice_credentials_sealed FROM sip_accounts WHERE user_id = ?')
      .get(opId()) as { ice_servers: string; ice_credentials_sealed: Buffer }
    expect(raw.ice_servers).not.toContain('turn-secret-42')
    expect(raw.ice_credentials_sealed.toString('latin1')).not.toContain('turn-secret-42')
    const shown = await admin.invoke('sip.accounts', {})
    expect(JSON.stringify(shown)).not.toContain('turn-secret-42')
    expect(shown).toMatchObject({
      ok: true,
      value: [
        {
          iceServers: [
            { urls: 'stun:stun.example.internal:3478' },
            { urls: turn.urls, username: 'centre', hasCredential: true }
          ]
        }
      ]
    })
    const op1 = await loginAs(env.core, 'op1')
    expect(await op1.invoke('sip.myAccount', {})).toMatchObject({
      ok: true,
      value: { iceServers: [{ urls: 'stun:stun.example.internal:3478' }, turn] }
    })
    // saved again from the form, which never had the credential: it is kept
    await admin.invoke('sip.setAccount', {
      ...account(opId()),
      displayName: '王芳 2',
      iceServers: [{ urls: 'stun:stun.example.internal:3478' }, { urls: turn.urls, username: 'centre' }]
    })
    expect(await op1.invoke('sip.myAccount', {})).toMatchObject({
      ok: true,
      value: { displayName: '王芳 2', ha1: ha1('1001', 'pw-1'), iceServers: [{}, { credential: 'turn-secret-42' }] }
    })
    // nobody else gets it: not another operator, not QA
    expect(await (await loginAs(env.core, 'op2')).invoke('sip.myAccount', {})).toEqual({ ok: true, value: null })
    expect(await (await loginAs(env.core, 'qa')).invoke('sip.accounts', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
  })

  it('credentials an older version stored in the clear are sealed when core opens the database', async () => {
    const admin = await loginAs(env.core, 'admin')
    await admin.invoke('sip.setAccount', account(opId(), 'pw-1'))
    env.core.db.prepare('UPDATE sip_accounts SET ice_servers = ? WHERE user_id = ?').run(JSON.stringify([turn]), opId())
    env.core.close()
    const again = await createCore({ dataDir: env.dir, clock: env.clock, logger: quietLogger, recallEveryMs: null })
    try {
      const raw = again.db.prepare('SELECT ice_servers FROM sip_accounts').pluck().get() as string
      expect(raw).not.toContain('turn-secret-42')
      expect(await (await loginAs(again, 'op1')).invoke('sip.myAccount', {})).toMatchObject({
        ok: true,
        value: { iceServers: [turn] }
      })
    } finally {
      again.close()
    }
  })

  it('测试注册 says in words when nothing answers, and needs the line’s essentials', async () => {
    const admin = await loginAs(env.core, 'admin')
    expect(await admin.invoke('sip.testRegister', { wsUrl: 'ws://127.0.0.1:9' })).toMatchObject({
      ok: false,
      error: { key: 'errors.sipTestIncomplete' }
    })
    const r = await admin.invoke('sip.testRegister', {
      wsUrl: 'ws://127.0.0.1:9/ws',
      domain: 'pbx.local',
      sipUser: '2001',
      password: 'x'
    })
    expect(r).toMatchObject({
      ok: true,
      value: { verdict: 'noAnswer', text: expect.stringContaining('SIP 服务器没有应答') }
    })
    expect(env.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'sip.testRegister'").pluck().get()).toBe(
      1
    )
    expect(
      JSON.stringify(env.core.db.prepare("SELECT details FROM audit_log WHERE action = 'sip.testRegister'").get())
    ).not.toContain('"x"')
  })

  it('a saved password is tried only on its own server: another server or extension needs the password typed', async () => {
    const admin = await loginAs(env.core, 'admin')
    const op1Id = env.core.db.prepare("SELECT id FROM users WHERE username = 'op1'").pluck().get() as number
    await ok(admin.invoke('sip.setAccount', account(op1Id, 'Saved-Secret-1')))
    for (const elsewhere of [{ wsUrl: 'ws://127.0.0.1:9/ws' }, { domain: 'attacker.example' }, { sipUser: '1002' }]) {
      expect(await admin.invoke('sip.testRegister', { userId: op1Id, ...elsewhere })).toMatchObject({
        ok: false,
        error: { key: 'errors.sipTestStoredElsewhere' }
      })
    }
    // typed, it may go anywhere (the admin knows it)
    expect(
      await admin.invoke('sip.testRegister', { userId: op1Id, wsUrl: 'ws://127.0.0.1:9/ws', password: 'typed' })
    ).toMatchObject({ ok: true, value: { verdict: 'noAnswer' } })
  })

  it('a floor’s lines from a spreadsheet: all or nothing, each refused row with its reason', async () => {
    const admin = await loginAs(env.core, 'admin')
    const upload = async (text: string) => {
      const bytes = Buffer.from(text)
      const { value } = (await admin.invoke('uploads.begin', { name: 'lines.csv', size: bytes.length })) as {
        value: { uploadId: string }
      }
      await admin.invoke('uploads.chunk', { uploadId: value.uploadId, offset: 0, data: bytes.toString('base64') })
      return value.uploadId
    }
    const common = {
      wsUrl: 'wss://pbx.example.internal:8089/ws',
      domain: 'pbx.example.internal',
      outsidePrefix: '9',
      iceServers: []
    }
    const bad = await admin.invoke('sip.importLines', {
      uploadId: await upload('工号,分机,密码\n1001,2001,a\n9999,2002,b\n1002,,c\n1003,2001,d\n'),
      ...common
    })
    expect(bad).toMatchObject({ ok: true, value: { rows: 4, set: 0 } })
    expect((bad as { value: { errors: { row: number; reason: string }[] } }).value.errors).toEqual([
      { row: 3, reason: '没有工号或用户名为 9999 的在用账户' },
      { row: 4, reason: '分机号 — 无效' },
      { row: 5, reason: '分机 2001 在第 2 行已出现' }
    ])
    expect(env.core.db.prepare('SELECT count(*) FROM sip_accounts').pluck().get()).toBe(0)
    const good = await admin.invoke('sip.importLines', {
      uploadId: await upload('工号,分机,密码,显示名\n1001,2001,a,\n1002,2002,b,陈强 坐席\n'),
      ...common
    })
    expect(good).toMatchObject({ ok: true, value: { rows: 2, set: 2, errors: [] } })
    expect(await (await loginAs(env.core, 'op2')).invoke('sip.myAccount', {})).toMatchObject({
      ok: true,
      value: { sipUser: '2002', displayName: '陈强 坐席', ha1: ha1('2002', 'b'), outsidePrefix: '9' }
    })
    expect(
      await admin.invoke('sip.importLines', { uploadId: await upload('姓名,电话\n王芳,1\n'), ...common })
    ).toMatchObject({ ok: false, error: { key: 'errors.sipImportColumns' } })
  })
})
