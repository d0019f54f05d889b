import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { createCore } from '../../electron/core'
import { dialString } from '../../shared/domain/dialplan'
import { loginAs, makeCore, quietLogger } from '../helpers/core'

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
beforeEach(async () => {
  env = await makeCore()
})
afterEach(() => env.cleanup())

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
    expect(await op1.invoke('sip.myAccount', {})).toMatchObject({ ok: true, value: { sipUser: '1001', password: secret, localAreaCode: '0771', outsidePrefix: '9' } })
    expect(await (await loginAs(env.core, 'op2')).invoke('sip.myAccount', {})).toEqual({ ok: true, value: null })
    const list = await admin.invoke('sip.accounts', {})
    expect(JSON.stringify(list)).not.toContain(secret)
    expect(await op1.invoke('sip.accounts', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

    // changing the server keeps the password unless a new one is given
    expect((await admin.invoke('sip.setAccount', { ...account(op1Id), wsUrl: 'wss://pbx2.example.internal/ws' })).ok).toBe(true)
    expect(await op1.invoke('sip.myAccount', {})).toMatchObject({ ok: true, value: { wsUrl: 'wss://pbx2.example.internal/ws', password: secret } })
    expect(env.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'sip.setAccount'").pluck().get()).toBe(2)
  })

  it('a new account needs a password; a replaced key file is a clear error, not garbage', async () => {
    const admin = await loginAs(env.core, 'admin')
    const op2Id = env.core.db.prepare("SELECT id FROM users WHERE username = 'op2'").pluck().get() as number
    expect(await admin.invoke('sip.setAccount', account(op2Id))).toMatchObject({ ok: false, error: { key: 'errors.sipPasswordRequired' } })
    await admin.invoke('sip.setAccount', account(op2Id, 'secret-1'))
    env.core.close()
    writeFileSync(join(env.dir, 'secret.key'), randomBytes(32))
    const again = await createCore({ dataDir: env.dir, clock: env.clock, logger: quietLogger, recallEveryMs: null })
    try {
      const op2 = await loginAs(again, 'op2')
      expect(await op2.invoke('sip.myAccount', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.secretUnreadable' } })
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
