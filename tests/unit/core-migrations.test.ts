import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createCore } from '../../electron/core'
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../electron/core/db/migrate'
import { openDatabase } from '../../electron/core/db/open'
import { DEFAULT_SETTINGS, SettingsStore } from '../../electron/core/settings/service'
import { makeCore, quietLogger, tempDir } from '../helpers/core'
import { insertLeads } from '../helpers/leads'

describe('database migrations', () => {
  it('apply on an empty file, in WAL mode with foreign keys on', async () => {
    const { core, cleanup } = await makeCore({ demo: false })
    try {
      expect(core.migrated).toEqual({ from: 0, to: SCHEMA_VERSION })
      expect(core.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      expect(core.db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(core.db.pragma('foreign_keys', { simple: true })).toBe(1)
      const tables = (
        core.db.prepare("SELECT name FROM sqlite_schema WHERE type='table'").all() as { name: string }[]
      ).map((t) => t.name)
      expect(tables).toEqual(expect.arrayContaining(['users', 'sessions', 'audit_log', 'settings', 'districts']))
    } finally {
      cleanup()
    }
  })

  it('are idempotent: reopening changes nothing and keeps the data', async () => {
    const tmp = tempDir()
    try {
      const first = await createCore({ dataDir: tmp.dir, logger: quietLogger })
      const users = (first.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
      first.close()
      const again = await createCore({ dataDir: tmp.dir, logger: quietLogger })
      expect(again.migrated).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION })
      expect((again.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(users)
      // and the demo team is not seeded twice
      expect(users).toBeGreaterThan(0)
      again.close()
      const db = new Database(join(tmp.dir, 'leadline.db'))
      expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION })
      db.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('0002 (the lead pool) keeps the users of a version-1 database and adds the default campaign', () => {
    const tmp = tempDir()
    try {
      const db = new Database(join(tmp.dir, 'v1.db'))
      migrate(db, 1)
      db.prepare(
        "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) VALUES ('old', '老用户', 'operator', 'x', 't', 't')"
      ).run()
      expect(migrate(db, 2)).toEqual({ from: 1, to: 2 })
      expect(db.prepare('SELECT username, display_name FROM users').all()).toEqual([
        { username: 'old', display_name: '老用户' }
      ])
      expect(db.prepare('SELECT id, name FROM campaigns').all()).toEqual([{ id: 1, name: '默认活动' }])
      db.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('0010 (real calls only) counts the funnel again without the simulated line: what was dialed, contacted or accepted only in training is taken out', () => {
    const tmp = tempDir()
    try {
      const db = openDatabase(join(tmp.dir, 'v9.db'))
      migrate(db, 9)
      db.prepare(
        "INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at) VALUES (7, 'op', '坐席', 'operator', 'x', 't', 't')"
      ).run()
      const [real, training] = insertLeads(db, 2, { district: null })
      const batch = db.prepare('SELECT batch_id FROM leads WHERE id = ?').pluck().get(real)
      const dial = (lead: number, line: string) => {
        db.prepare('UPDATE leads SET attempts = attempts + 1 WHERE id = ?').run(lead)
        return Number(
          db
            .prepare(
              "INSERT INTO calls (operator_id, lead_id, direction, line, started_at, campaign_id) VALUES (7, ?, 'outbound', ?, '2026-11-23T02:00:00Z', 1)"
            )
            .run(lead, line).lastInsertRowid
        )
      }
      const outcome = (lead: number, call: number, simulated: number) =>
        db
          .prepare(
            "INSERT INTO outcomes (client_id, lead_id, call_id, operator_id, campaign_id, disposition, label, success, connected, simulated, at) VALUES (?, ?, ?, 7, 1, 'accepted', '同意约访', 1, 1, ?, '2026-11-23T02:05:00Z')"
          )
          .run(`c${call}`, lead, call, simulated)
      outcome(real, dial(real, 'sip'), 0)
      outcome(training, dial(training, 'simulated'), 1)
      // version 9 counted the training lead as dialed and accepted (but not as contacted)
      expect(db.prepare('SELECT dialed, contacted, accepted FROM batch_funnel WHERE batch_id = ?').get(batch)).toEqual({
        dialed: 2,
        contacted: 1,
        accepted: 2
      })
      expect(migrate(db, 10)).toEqual({ from: 9, to: 10 })
      expect(db.prepare('SELECT dialed, contacted, accepted FROM batch_funnel WHERE batch_id = ?').get(batch)).toEqual({
        dialed: 1,
        contacted: 1,
        accepted: 1
      })
      expect(db.prepare('SELECT id, milestones FROM leads ORDER BY id').all()).toEqual([
        { id: real, milestones: 7 },
        { id: training, milestones: 0 }
      ])
      // and from now on: another training dial changes nothing, a real one counts once
      dial(training, 'simulated')
      dial(training, 'sip')
      expect(db.prepare('SELECT dialed FROM batch_funnel WHERE batch_id = ?').pluck().get(batch)).toBe(2)
      db.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('0014 (queue counts) counts the leads already in the pool by campaign and status, and follows them after', () => {
    const tmp = tempDir()
    try {
      const db = openDatabase(join(tmp.dir, 'v13.db'))
      migrate(db, 13)
      const ids = insertLeads(db, 5, { district: null })
      db.prepare("UPDATE leads SET status = 'refused' WHERE id IN (?, ?)").run(ids[0], ids[1])
      expect(migrate(db, 14)).toEqual({ from: 13, to: 14 })
      const counts = () =>
        db.prepare('SELECT status, n FROM lead_status_counts WHERE campaign_id = 1 AND n > 0 ORDER BY status').all()
      expect(counts()).toEqual([
        { status: 'new', n: 3 },
        { status: 'refused', n: 2 }
      ])
      db.prepare("UPDATE leads SET status = 'dnc' WHERE id = ?").run(ids[2])
      expect(counts()).toEqual([
        { status: 'dnc', n: 1 },
        { status: 'new', n: 2 },
        { status: 'refused', n: 2 }
      ])
      db.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('0019 (import slices) takes the batches already imported as done, with nothing left to write', () => {
    const tmp = tempDir()
    try {
      const db = openDatabase(join(tmp.dir, 'v18.db'))
      migrate(db, 18)
      insertLeads(db, 3, { district: null })
      expect(migrate(db, 19)).toEqual({ from: 18, to: 19 })
      expect(db.prepare('SELECT state, stage_file, applied_upto, warnings FROM import_batches').all()).toEqual([
        { state: 'done', stage_file: null, applied_upto: 0, warnings: 0 }
      ])
      expect(() => db.prepare("UPDATE import_batches SET state = 'half'").run()).toThrow(/CHECK constraint/)
      db.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('0020 (smtp plain) keeps the mail settings, now over TLS unless plain sending is chosen', () => {
    const tmp = tempDir()
    try {
      const db = openDatabase(join(tmp.dir, 'v19.db'))
      migrate(db, 19)
      db.prepare(
        "INSERT INTO smtp_settings (id, host, port, secure, user, from_addr, to_addrs) VALUES (1, 'mail.centre', 25, 0, '', 'a@b.c', '[]')"
      ).run()
      expect(migrate(db, 20)).toEqual({ from: 19, to: 20 })
      expect(db.prepare('SELECT host, port, plain FROM smtp_settings').get()).toEqual({
        host: 'mail.centre',
        port: 25,
        plain: 0
      })
      db.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('0025 (dial tokens) leaves a centre that already has SIP lines dialling numbers until its PBX resolves tokens; a new centre starts with tokens', () => {
    const tmp = tempDir()
    try {
      for (const lines of [true, false]) {
        const db = openDatabase(join(tmp.dir, `v24-${lines}.db`))
        migrate(db, 24)
        if (lines) {
          const user = db
            .prepare(
              "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) VALUES ('op9', '九', 'operator', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
            )
            .run().lastInsertRowid
          db.prepare(
            "INSERT INTO sip_accounts (user_id, ws_url, domain, sip_user, password_sealed, display_name, ice_servers, outside_prefix, updated_at) VALUES (?, 'wss://pbx/ws', 'pbx', '2101', x'00', '九', '[]', '', '2026-01-01T00:00:00Z')"
          ).run(user)
        }
        expect(migrate(db, 25)).toEqual({ from: 24, to: 25 })
        expect(db.prepare("SELECT value FROM settings WHERE key = 'telephony'").pluck().get()).toBe(
          lines ? '{"pbxDialsByToken":false}' : undefined
        )
        db.close()
      }
    } finally {
      tmp.cleanup()
    }
  })

  it('are numbered from 0001 without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  it('refuse a database written by a newer LeadLine, with a clear message, and leave it alone', async () => {
    const tmp = tempDir()
    try {
      const file = join(tmp.dir, 'leadline.db')
      const db = new Database(file)
      db.exec('CREATE TABLE from_the_future (x)')
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
      db.close()
      await expect(createCore({ dataDir: tmp.dir, logger: quietLogger })).rejects.toMatchObject({
        code: 'DB_TOO_NEW',
        message: expect.stringContaining(`version ${SCHEMA_VERSION + 1}`)
      })
      const after = new Database(file)
      expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1)
      expect(after.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'users'").get()).toEqual({ n: 0 })
      after.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('roll back whole: a failing migration leaves the schema version and tables as they were', () => {
    const tmp = tempDir()
    try {
      const db = new Database(join(tmp.dir, 'x.db'))
      // Occupy a name the first migration creates, so it fails part-way.
      db.exec('CREATE TABLE settings (k)')
      expect(() => migrate(db)).toThrow()
      expect(db.pragma('user_version', { simple: true })).toBe(0)
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name IN ('users','districts')").get()).toEqual({
        n: 0
      })
      db.close()
    } finally {
      tmp.cleanup()
    }
  })

  it('settings saved by an older build keep their values: new fields take defaults, a bad group falls back alone', async () => {
    const { core, cleanup } = await makeCore()
    try {
      const put = core.db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
      )
      // a followUp group from before the 回访 proof rules, a hand-broken backup group, a good org name
      put.run(
        'followUp',
        JSON.stringify({ days: [4], start: '14:00', end: '17:00', dueDay: 5, dueTime: '18:00', coolingOffDays: 20 })
      )
      put.run('backup', JSON.stringify({ folder: 'relative/path', at: '02:00', keepDays: 14 }))
      put.run('orgName', JSON.stringify('南宁某保险代理'))
      const again = new SettingsStore(core.db).get()
      expect(again.followUp).toEqual({
        ...DEFAULT_SETTINGS.followUp,
        days: [4],
        start: '14:00',
        end: '17:00',
        dueDay: 5,
        coolingOffDays: 20
      })
      expect(again.backup).toEqual(DEFAULT_SETTINGS.backup)
      expect(again.orgName).toBe('南宁某保险代理')
    } finally {
      cleanup()
    }
  })
})
