import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../electron/core/demo/seed'
import { makeCore } from '../helpers/core'

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
beforeEach(async () => {
  env = await makeCore({ demo: true })
})
afterEach(() => env.cleanup())

async function adminIn(locale: 'zh-CN' | 'en') {
  const conn = env.core.connect({ source: 'test', locale })
  const r = await conn.invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD })
  if (!r.ok) throw new Error(r.error.message)
  return conn
}

const user = { username: 'zhang3', displayName: '张三', role: 'operator', password: 'a-Long-enough-1' }

describe('a refused input says which field and what is wrong, in the reader’s language', () => {
  it('names the field in words, with the limit', async () => {
    const zh = await adminIn('zh-CN')
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...user, displayName: '张'.repeat(65) }, '“姓名”最多 64 个字', 'Name: at most 64 characters'],
      [{ ...user, displayName: '  ' }, '“姓名”不能为空', 'Name: must not be empty'],
      [{ ...user, role: 'boss' }, '“角色”不是可选的值', 'Role: not one of the allowed values'],
      [{ username: 'zhang3', displayName: '张三', role: 'operator' }, '“密码”必须填写', 'Password: required']
    ]
    const en = await adminIn('en')
    for (const [input, zhText, enText] of cases) {
      const r = await zh.invoke('users.create', input as never)
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', key: 'errors.invalidField', message: zhText }
      })
      const e = await en.invoke('users.create', input as never)
      expect(!e.ok && e.error.message).toBe(enText)
    }
    expect(env.core.db.prepare("SELECT count(*) FROM users WHERE username = 'zhang3'").pluck().get()).toBe(0)
  })
})
