import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HOUR, MINUTE } from '../../electron/core/clock'
import { DEMO_PASSWORD } from '../../electron/core/demo/seed'
import { createCore } from '../../electron/core'
import { loginAs, makeCore, ok, quietLogger, tempDir } from '../helpers/core'

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
beforeEach(async () => {
  env = await makeCore()
})
afterEach(() => env.cleanup())

function auditActions(): string[] {
  return (env.core.db.prepare('SELECT action FROM audit_log ORDER BY id').all() as { action: string }[]).map(
    (r) => r.action
  )
}

describe('login', () => {
  it('logs a demo user in and the connection then acts as that user', async () => {
    const conn = env.core.connect({ source: 'test' })
    const r = await conn.invoke('auth.login', { username: 'op1', password: DEMO_PASSWORD })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const v = r.value as { token: string; user: { username: string; role: string } }
    expect(v.user).toMatchObject({ username: 'op1', role: 'operator' })
    expect(v.token.length).toBeGreaterThanOrEqual(32)
    const me = await conn.invoke('auth.me', {})
    expect(me).toMatchObject({ ok: true, value: { username: 'op1' } })
    // the token itself is not stored, only its hash
    const stored = env.core.db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[]
    expect(stored.some((s) => s.token_hash === v.token)).toBe(false)
    expect(auditActions()).toContain('auth.login')
  })

  it('user names are case-insensitive', async () => {
    const conn = env.core.connect({ source: 'test' })
    expect((await conn.invoke('auth.login', { username: 'OP1', password: DEMO_PASSWORD })).ok).toBe(true)
  })

  it('a wrong password is refused in Chinese by default and in English when asked', async () => {
    const conn = env.core.connect({ source: 'test' })
    const r = await conn.invoke('auth.login', { username: 'op1', password: 'wrong-password' })
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '用户名或密码错误' } })
    const en = env.core.connect({ source: 'test', locale: 'en' })
    const r2 = await en.invoke('auth.login', { username: 'op1', password: 'wrong-password' })
    expect(r2).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Wrong user name or password' } })
    expect((await conn.invoke('auth.me', {})).ok).toBe(false)
  })

  it('an unknown user gets the same answer as a wrong password', async () => {
    const conn = env.core.connect({ source: 'test' })
    const r = await conn.invoke('auth.login', { username: 'nobody', password: 'whatever1' })
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', key: 'errors.badCredentials' } })
  })

  it('locks the account after 5 failures in a row, even against the right password, until the lock runs out', async () => {
    const conn = env.core.connect({ source: 'test' })
    for (let i = 0; i < 4; i++) {
      const r = await conn.invoke('auth.login', { username: 'op2', password: 'bad-password' })
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    }
    const fifth = await conn.invoke('auth.login', { username: 'op2', password: 'bad-password' })
    expect(fifth).toMatchObject({ ok: false, error: { code: 'LOCKED', params: { minutes: 15 } } })
    const right = await conn.invoke('auth.login', { username: 'op2', password: DEMO_PASSWORD })
    expect(right).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
    expect(right.ok || right.error.message).toContain('15 分钟')
    // other users are not affected
    expect(
      (await env.core.connect({ source: 't' }).invoke('auth.login', { username: 'op1', password: DEMO_PASSWORD })).ok
    ).toBe(true)
    env.clock.advance(15 * MINUTE + 1000)
    expect((await conn.invoke('auth.login', { username: 'op2', password: DEMO_PASSWORD })).ok).toBe(true)
    expect(auditActions()).toContain('auth.locked')
  })

  it('a success resets the failure count', async () => {
    const conn = env.core.connect({ source: 'test' })
    for (let i = 0; i < 4; i++) await conn.invoke('auth.login', { username: 'op3', password: 'bad-password' })
    expect((await conn.invoke('auth.login', { username: 'op3', password: DEMO_PASSWORD })).ok).toBe(true)
    for (let i = 0; i < 4; i++) await conn.invoke('auth.login', { username: 'op3', password: 'bad-password' })
    expect((await conn.invoke('auth.login', { username: 'op3', password: DEMO_PASSWORD })).ok).toBe(true)
  })

  it('an administrator can lift a lock at once', async () => {
    const victim = env.core.connect({ source: 'test' })
    for (let i = 0; i < 5; i++) await victim.invoke('auth.login', { username: 'qa', password: 'bad-password' })
    const admin = await loginAs(env.core, 'admin')
    const qa = env.core.db.prepare("SELECT id FROM users WHERE username='qa'").get() as { id: number }
    expect((await admin.invoke('users.unlock', { id: qa.id })).ok).toBe(true)
    expect((await victim.invoke('auth.login', { username: 'qa', password: DEMO_PASSWORD })).ok).toBe(true)
  })
})

describe('sessions', () => {
  it('expire after the configured hours; resume then says the login expired', async () => {
    const conn = env.core.connect({ source: 'test' })
    const r = await conn.invoke('auth.login', { username: 'supervisor', password: DEMO_PASSWORD })
    if (!r.ok) throw new Error('login failed')
    const { token } = r.value as { token: string }
    env.clock.advance(11 * HOUR)
    expect((await conn.invoke('auth.me', {})).ok).toBe(true)
    const fresh = env.core.connect({ source: 'reload' })
    expect((await fresh.invoke('auth.resume', { token })).ok).toBe(true)
    env.clock.advance(1 * HOUR + 1000)
    expect(await conn.invoke('auth.me', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', key: 'errors.sessionExpired' }
    })
    expect(await env.core.connect({ source: 'x' }).invoke('auth.resume', { token })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录' }
    })
  })

  it('logout ends the session for good', async () => {
    const conn = await loginAs(env.core, 'qa')
    const token = conn.state.token!
    expect((await conn.invoke('auth.logout', {})).ok).toBe(true)
    expect((await conn.invoke('auth.me', {})).ok).toBe(false)
    expect((await env.core.connect({ source: 'x' }).invoke('auth.resume', { token })).ok).toBe(false)
  })

  it('changing one’s password ends the user’s other sessions but not this one', async () => {
    const a = await loginAs(env.core, 'op1')
    const b = await loginAs(env.core, 'op1')
    const ended: unknown[] = []
    b.subscribe((name, payload) => ended.push([name, payload]))
    const bad = await a.invoke('auth.changePassword', { currentPassword: 'not-it-at-all', newPassword: 'new-secret-1' })
    expect(bad).toMatchObject({ ok: false, error: { key: 'errors.wrongCurrentPassword' } })
    expect(
      (await a.invoke('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: 'new-secret-1' })).ok
    ).toBe(true)
    expect((await a.invoke('auth.me', {})).ok).toBe(true)
    expect((await b.invoke('auth.me', {})).ok).toBe(false)
    expect(ended).toEqual([['session.ended', expect.objectContaining({ reason: 'password changed' })]])
    // the demo password is no longer shown for this account
    const info = await env.core.connect({ source: 'x' }).invoke('system.info', {})
    const accounts = (info as { value: { demoAccounts: { username: string }[] } }).value.demoAccounts
    expect(accounts.map((u) => u.username)).not.toContain('op1')
    expect(accounts.map((u) => u.username)).toContain('op2')
  })

  it('disabling a user ends their sessions at once and refuses their next login', async () => {
    const op = await loginAs(env.core, 'op3')
    const admin = await loginAs(env.core, 'admin')
    const id = ((await op.invoke('auth.me', {})) as { value: { id: number } }).value.id
    expect((await admin.invoke('users.update', { id, disabled: true })).ok).toBe(true)
    expect((await op.invoke('auth.me', {})).ok).toBe(false)
    const again = await env.core
      .connect({ source: 'x' })
      .invoke('auth.login', { username: 'op3', password: DEMO_PASSWORD })
    // the same answer as a wrong password: a disabled account tells nothing about its password
    const wrong = await env.core
      .connect({ source: 'x' })
      .invoke('auth.login', { username: 'op3', password: 'not-the-password' })
    expect(again).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', key: 'errors.badCredentials' } })
    expect(wrong).toEqual(again)
  })

  it('guessing from one machine locks that machine out, not the real user at their own seat, the administrator included', async () => {
    const attacker = () => env.core.connect({ source: 'ws 127.0.0.2' })
    for (let i = 0; i < 5; i++) await attacker().invoke('auth.login', { username: 'admin', password: `guess-${i}` })
    expect(await attacker().invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED' }
    })
    // the administrator at their own seat
    expect(
      await env.core
        .connect({ source: 'ws 127.0.0.3' })
        .invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD })
    ).toMatchObject({ ok: true })
    // and the lock shows in 用户管理, where it can be lifted for every address
    const admin = await loginAs(env.core, 'admin')
    const row = (
      (await admin.invoke('users.list', {})) as {
        value: { username: string; id: number; lockedUntil: string | null }[]
      }
    ).value.find((u) => u.username === 'admin')!
    expect(row.lockedUntil).not.toBeNull()
    expect((await admin.invoke('users.unlock', { id: row.id })).ok).toBe(true)
    expect(await attacker().invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD })).toMatchObject({
      ok: true
    })
  })

  it('unknown names are counted and locked like real ones: the answers tell nothing about which names exist', async () => {
    const from = () => env.core.connect({ source: 'ws 127.0.0.4' })
    const answers = async (username: string) => {
      const out: unknown[] = []
      for (let i = 0; i < 6; i++) out.push(await from().invoke('auth.login', { username, password: `guess-${i}` }))
      return out
    }
    const real = await answers('op2')
    const unknown = await answers('nobody-at-all')
    expect(unknown).toEqual(real)
    expect(real[0]).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(real[5]).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
  })

  it('a flood of logins from one address is refused before any password is hashed; a seat elsewhere logs in meanwhile', async () => {
    const flood = Array.from({ length: 400 }, (_, i) =>
      env.core.connect({ source: 'ws 127.0.0.2' }).invoke('auth.login', { username: `nobody${i}`, password: 'x' })
    )
    const bystander = await env.core
      .connect({ source: 'ws 127.0.0.3' })
      .invoke('auth.login', { username: 'op1', password: DEMO_PASSWORD })
    expect(bystander.ok).toBe(true)
    const results = await Promise.all(flood)
    const refused = results.filter((r) => !r.ok && r.error.key === 'errors.tooManyLogins').length
    // a few are checked (the address's share of the queue), the rest refused at once
    expect(refused).toBeGreaterThan(380)
  })

  it('a login whose caller has gone is not hashed when its turn comes', async () => {
    const conns = Array.from({ length: 6 }, () => env.core.connect({ source: 'ws 127.0.0.5' }))
    const pending = conns.map((c, i) => c.invoke('auth.login', { username: `gone${i}`, password: 'x' }))
    // the sockets close while their logins wait
    conns.slice(2).forEach((c) => (c.state.closed = true))
    const results = await Promise.all(pending)
    expect(results.slice(2).every((r) => !r.ok && r.error.key === 'errors.tooManyLogins')).toBe(true)
  })
})

describe('roles', () => {
  it('an operator may not manage users; an administrator may, and it is audited', async () => {
    const op = await loginAs(env.core, 'op1')
    const input = {
      username: 'newop',
      displayName: '新坐席',
      role: 'operator',
      password: 'secret-123',
      staffNo: '1099'
    }
    expect(await op.invoke('users.create', input)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: '您没有权限执行此操作' }
    })
    expect(auditActions()).toContain('access.denied')
    const admin = await loginAs(env.core, 'admin')
    const r = await admin.invoke('users.create', input)
    expect(r).toMatchObject({ ok: true, value: { username: 'newop', role: 'operator', staffNo: '1099' } })
    expect((await loginAs(env.core, 'newop', 'secret-123')).state.token).toBeTruthy()
    expect(auditActions()).toContain('users.create')
    // the log names the user it is about, not only their number
    const entries = await ok<{ action: string; entity: string; entityName: string | null }[]>(
      admin.invoke('audit.list', { action: 'users.create' })
    )
    expect(entries[0]).toMatchObject({ entity: 'user', entityName: expect.stringContaining('（newop）') })
  })

  it('a supervisor may list users but not create them', async () => {
    const sup = await loginAs(env.core, 'supervisor')
    const list = await sup.invoke('users.list', { role: 'field_agent', districtCode: '450103' })
    expect(list.ok && (list.value as { username: string }[]).map((u) => u.username)).toEqual(['agent_qx1', 'agent_qx2'])
    expect(
      (await sup.invoke('users.create', { username: 'x1', displayName: 'x', role: 'qa', password: 'secret-123' })).ok
    ).toBe(false)
  })

  it('field agents and leaders must belong to a known district', async () => {
    const admin = await loginAs(env.core, 'admin')
    const base = { username: 'agent9', displayName: '新人', role: 'field_agent', password: 'secret-123' }
    expect(await admin.invoke('users.create', base)).toMatchObject({
      ok: false,
      error: { key: 'errors.districtRequired' }
    })
    expect(await admin.invoke('users.create', { ...base, districtCode: '999999' })).toMatchObject({
      ok: false,
      error: { key: 'errors.unknownDistrict' }
    })
    expect((await admin.invoke('users.create', { ...base, districtCode: '450181' })).ok).toBe(true)
  })

  it('user names and staff numbers are unique', async () => {
    const admin = await loginAs(env.core, 'admin')
    expect(
      await admin.invoke('users.create', { username: 'OP1', displayName: 'x', role: 'qa', password: 'secret-123' })
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', key: 'errors.usernameTaken' }
    })
    expect(
      await admin.invoke('users.create', {
        username: 'op9',
        displayName: 'x',
        role: 'operator',
        password: 'secret-123',
        staffNo: '1001'
      })
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.staffNoTaken' } })
  })

  it('the last active administrator cannot be disabled or demoted', async () => {
    const admin = await loginAs(env.core, 'admin')
    const me = ((await admin.invoke('auth.me', {})) as { value: { id: number } }).value
    expect(await admin.invoke('users.update', { id: me.id, role: 'operator' })).toMatchObject({
      ok: false,
      error: { key: 'errors.lastAdmin' }
    })
    expect(await admin.invoke('users.update', { id: me.id, disabled: true })).toMatchObject({
      ok: false,
      error: { key: 'errors.lastAdmin' }
    })
  })

  it('a role change takes effect at once: the old session ends', async () => {
    const qa = await loginAs(env.core, 'qa')
    const admin = await loginAs(env.core, 'admin')
    const id = ((await qa.invoke('auth.me', {})) as { value: { id: number } }).value.id
    expect((await admin.invoke('users.update', { id, role: 'operator', staffNo: '1050' })).ok).toBe(true)
    expect((await qa.invoke('auth.me', {})).ok).toBe(false)
  })
})

describe('first run without demo data', () => {
  it('asks for the first admin, accepts exactly one, then refuses another', async () => {
    const empty = await makeCore({ demo: false })
    try {
      const c = empty.core.connect({ source: 'test' })
      const info = await c.invoke('system.info', {})
      expect(info).toMatchObject({ ok: true, value: { needsFirstAdmin: true, demoMode: false, demoAccounts: [] } })
      const other = empty.core.connect({ source: 'other' })
      const [a, b] = await Promise.all([
        c.invoke('auth.setupFirstAdmin', { username: 'boss', displayName: '老板', password: 'first-admin-1' }),
        other.invoke('auth.setupFirstAdmin', { username: 'intruder', displayName: 'x', password: 'second-admin-1' })
      ])
      expect([a.ok, b.ok].sort()).toEqual([false, true])
      expect((empty.core.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(1)
      expect(a.ok ? b : a).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.alreadySetUp' } })
      // the winner is logged in as the new administrator
      // every district of China is there from the start, the centre's city (南宁市) first
      const districts = await (a.ok ? c : other).invoke('districts.list', {})
      const list = (districts.ok ? districts.value : []) as { code: string; city: string }[]
      expect(list.length).toBeGreaterThan(2800)
      expect(list.slice(0, 12).every((d) => d.city === '南宁市')).toBe(true)
      expect(list.find((d) => d.code === '110105')).toMatchObject({ name: '朝阳区', city: '北京市' })
    } finally {
      empty.cleanup()
    }
  })
})

describe('first run of a hub on the LAN', () => {
  it('the first administrator needs the code the hub printed on its console; a wrong or missing one changes nothing', async () => {
    const tmp = tempDir()
    const lan = await createCore({
      dataDir: tmp.dir,
      demo: false,
      logger: quietLogger,
      recallEveryMs: null,
      setupCode: '1234-5678'
    })
    try {
      const c = lan.connect({ source: 'ws 192.168.1.50' })
      expect(await ok(c.invoke('system.info', {}))).toMatchObject({ needsFirstAdmin: true, setupCodeRequired: true })
      const admin = { username: 'boss', displayName: '老板', password: 'first-admin-1' }
      for (const setupCode of [undefined, '0000-0000'])
        expect(await c.invoke('auth.setupFirstAdmin', { ...admin, ...(setupCode ? { setupCode } : {}) })).toMatchObject(
          {
            ok: false,
            error: { code: 'FORBIDDEN', message: '安装码不正确：请查看启动服务器的控制台上显示的安装码' }
          }
        )
      expect(lan.db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0)
      expect((await c.invoke('auth.setupFirstAdmin', { ...admin, setupCode: ' 1234-5678 ' })).ok).toBe(true)
      expect(await ok(c.invoke('system.info', {}))).toMatchObject({ needsFirstAdmin: false, setupCodeRequired: false })
      expect(
        lan.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'auth.setupFirstAdmin.refused'").pluck().get()
      ).toBe(2)
    } finally {
      lan.close()
      tmp.cleanup()
    }
  })
})

describe('settings', () => {
  it('an administrator changes the lock-out threshold, and it applies', async () => {
    const admin = await loginAs(env.core, 'admin')
    const r = await admin.invoke('settings.update', { lockoutThreshold: 3, lanHub: { port: 7400 } })
    expect(r).toMatchObject({ ok: true, value: { lockoutThreshold: 3, lanHub: { port: 7400, enabled: false } } })
    const c = env.core.connect({ source: 'x' })
    for (let i = 0; i < 2; i++) await c.invoke('auth.login', { username: 'op1', password: 'bad-password' })
    expect(await c.invoke('auth.login', { username: 'op1', password: 'bad-password' })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED' }
    })
  })

  it('the audit log cannot be edited, even with SQL', () => {
    expect(() => env.core.db.exec("UPDATE audit_log SET action = 'x'")).toThrow(/append-only/)
    expect(() => env.core.db.exec('DELETE FROM audit_log')).toThrow(/append-only/)
  })
})
