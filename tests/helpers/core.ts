import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, ManualClock, type Core, type CoreConnection, type Logger } from '../../electron/core'
import { DEMO_PASSWORD, DEMO_USERS } from '../../electron/core/demo/seed'
import type { Role } from '../../shared/contract'

export const quietLogger: Logger = { info() {}, warn() {}, error() {} }

export function tempDir(prefix = 'leadline-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A real core on a real SQLite file in a fresh temp folder, with a clock the test moves. */
export async function makeCore(
  opts: { demo?: boolean; demoLeads?: boolean; dataDir?: string; start?: string; sqlTrace?: (sql: string) => void } = {}
) {
  const tmp = opts.dataDir ? { dir: opts.dataDir, cleanup: () => {} } : tempDir()
  const clock = new ManualClock(opts.start ?? '2026-11-23T02:00:00Z')
  const core = await createCore({
    dataDir: tmp.dir,
    clock,
    demo: opts.demo ?? true,
    demoLeads: opts.demoLeads ?? false,
    logger: quietLogger,
    recallEveryMs: null,
    sqlTrace: opts.sqlTrace
  })
  return {
    core,
    clock,
    dir: tmp.dir,
    cleanup: () => {
      // every seat write the tests sent with a client id had it saved in the transaction of the write
      const apart = [...core.clientWrites.savedAfter]
      core.close()
      if (apart.length)
        throw new Error(`write ids saved apart from their writes (a commit between): ${apart.join(', ')}`)
      tmp.cleanup()
    }
  }
}

/** The demo account of a role (the seed has at least one of each). */
export function demoUserOf(role: Role): string {
  return DEMO_USERS.find((u) => u.role === role)!.username
}

export async function loginAs(core: Core, username: string, password = DEMO_PASSWORD): Promise<CoreConnection> {
  const conn = core.connect({ source: 'test' })
  // as a seat does: each call with a client id of its own (a 'resend' write is then applied once by it)
  const invoke = conn.invoke.bind(conn)
  conn.invoke = (method, input, write) => invoke(method, input, write ?? { clientId: randomUUID() })
  const r = await conn.invoke('auth.login', { username, password })
  if (!r.ok) throw new Error(`login as ${username} failed: ${r.error.message}`)
  return conn
}

/** A user's id by username (the demo accounts: op1, supervisor …). */
export function userIdOf(core: Core, username: string): number {
  return core.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as number
}

/** Everything in the database except the append-only audit log and session bookkeeping, as text. */
export function fingerprint(core: Core, opts: { withAudit?: boolean } = {}): string {
  const tables = core.db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[]
  const skip = new Set(opts.withAudit ? [] : ['audit_log'])
  return tables
    .filter((t) => !skip.has(t.name))
    .map((t) => {
      const rows = core.db.prepare(`SELECT * FROM "${t.name}"`).all() as Record<string, unknown>[]
      // last_seen_at moves on any authenticated read; it is bookkeeping, not data.
      const cleaned = rows.map(({ last_seen_at: _ignored, ...rest }) =>
        JSON.stringify(rest, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v))
      )
      return `${t.name}:${cleaned.sort().join(',')}`
    })
    .join('\n')
}

/** The value of a successful contract call; a failure fails the test with its message. */
export async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(r.error!.message)
  return r.value as T
}
