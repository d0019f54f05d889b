import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCore } from '../../electron/core'
import { fullRestore } from '../../electron/core/backup/full'
import { loginAs, makeCore, ok, quietLogger, tempDir } from '../helpers/core'

let env: Awaited<ReturnType<typeof makeCore>>
let out: ReturnType<typeof tempDir>
beforeEach(async () => {
  env = await makeCore()
  out = tempDir('leadline-backup-')
})
afterEach(() => {
  env.cleanup()
  out.cleanup()
})

function* walk(dir: string): Generator<string> {
  yield dir
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* walk(join(dir, e.name))
    else yield join(dir, e.name)
  }
}

/** `n` closed recordings on disk and in the database, as calls leave them. */
function recordings(n: number, from = 0): void {
  const db = env.core.db
  const op = db.prepare("SELECT id FROM users WHERE username = 'op1'").pluck().get() as number
  db.transaction(() => {
    for (let i = from; i < from + n; i++) {
      const call = Number(
        db
          .prepare(
            "INSERT INTO calls (operator_id, direction, line, started_at, campaign_id) VALUES (?, 'outbound', 'sip', '2026-11-23T02:00:00Z', 1)"
          )
          .run(op).lastInsertRowid
      )
      const rel = `recordings/2026/11/23/${call}-${i}.webm`
      const data = randomBytes(300)
      mkdirSync(join(env.dir, 'recordings/2026/11/23'), { recursive: true })
      writeFileSync(join(env.dir, rel), data)
      db.prepare(
        "INSERT INTO recordings (call_id, operator_id, file, mime, state, started_at, ended_at, bytes, sha256, chunks) VALUES (?, ?, ?, 'audio/webm', 'done', '2026-11-23T02:00:00Z', '2026-11-23T02:01:00Z', ?, ?, 1)"
      ).run(call, op, rel, data.length, createHash('sha256').update(data).digest('hex'))
    }
  })()
}

describe('backups that bring everything back', () => {
  it('the second backup of 1,000 recordings copies only the 10 new ones; every copy is checked', async () => {
    recordings(1000)
    const first = await env.core.backupAll(out.dir, 'correct horse', 'test')
    expect(first.recordings).toMatchObject({ files: 1000, copied: 1000 })
    recordings(10, 1000)
    env.clock.advance(86_400_000)
    const second = await env.core.backupAll(out.dir, 'correct horse', 'test')
    expect(second.recordings).toMatchObject({ files: 1010, copied: 10 })
    expect(second.set).not.toBe(first.set)
    // the sealing key is in the set only encrypted
    const sealed = readFileSync(join(second.set, 'secret.key.enc'), 'utf8')
    expect(sealed).not.toContain(readFileSync(join(env.dir, 'secret.key')).toString('base64'))
    expect(existsSync(join(second.set, 'secret.key'))).toBe(false)
    // nothing in the backup is readable by other local users, whatever the process umask
    const loose = [...walk(out.dir)].filter((p) => (statSync(p).mode & 0o077) !== 0)
    expect(loose).toEqual([])
    // a damaged original is caught, not copied over the good one
    const bad = env.core.db.prepare('SELECT file FROM recordings ORDER BY id DESC LIMIT 1').pluck().get() as string
    writeFileSync(join(env.dir, bad), randomBytes(301))
    await expect(env.core.backupAll(out.dir, 'correct horse', 'test')).rejects.toMatchObject({
      key: 'errors.backupChecksum'
    })
  })

  it('a restore onto an empty folder plays a recording and opens a sealed SIP password; a wrong passphrase changes nothing', async () => {
    recordings(3)
    const admin = await loginAs(env.core, 'admin')
    const op1 = env.core.db.prepare("SELECT id FROM users WHERE username = 'op1'").pluck().get() as number
    await ok(
      admin.invoke('sip.setAccount', {
        userId: op1,
        wsUrl: 'wss://pbx.local/ws',
        domain: 'pbx.local',
        sipUser: '2001',
        displayName: '王芳',
        iceServers: [],
        outsidePrefix: '',
        password: 'sip-secret-1'
      })
    )
    const { set } = await env.core.backupAll(out.dir, 'correct horse', 'test')
    const target = join(out.dir, 'restored')
    await expect(fullRestore({ dataDir: target, set, passphrase: 'wrong', now: new Date() })).rejects.toMatchObject({
      key: 'errors.backupPassphrase'
    })
    expect(existsSync(join(target, 'leadline.db'))).toBe(false)
    // the set's database is encrypted: no SQLite header, none of the customers' names or numbers
    const sealedDb = readFileSync(join(set, 'leadline.db.enc'))
    expect(sealedDb.includes(Buffer.from('SQLite format 3'))).toBe(false)
    expect(sealedDb.includes(Buffer.from('王芳'))).toBe(false)
    expect(existsSync(join(set, 'leadline.db'))).toBe(false)
    // nor did a clear copy stay beside the live data
    expect(readdirSync(env.dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    const r = await fullRestore({ dataDir: target, set, passphrase: 'correct horse', now: new Date() })
    expect(r).toMatchObject({ key: true, recordings: { restored: 3, missing: [] } })
    const again = await createCore({ dataDir: target, clock: env.clock, logger: quietLogger, recallEveryMs: null })
    try {
      expect(await (await loginAs(again, 'op1')).invoke('sip.myAccount', {})).toMatchObject({
        ok: true,
        value: { ha1: createHash('md5').update('2001:pbx.local:sip-secret-1').digest('hex') }
      })
      const qa = await loginAs(again, 'qa')
      const rec = (await ok<{ id: number }[]>(qa.invoke('recordings.list', {})))[0]
      const media = await ok<{ token: string }>(qa.invoke('recordings.media', { id: rec.id }))
      const grant = again.media.get(media.token)!
      expect(readFileSync(grant.file).length).toBe(300)
    } finally {
      again.close()
    }
  })

  it('a recording gone from the data folder stays in the mirror while a kept set may name it, then goes', async () => {
    recordings(3)
    await env.core.backupAll(out.dir, 'correct horse', 'test', 7)
    const gone = env.core.db.prepare('SELECT file FROM recordings ORDER BY id LIMIT 1').pluck().get() as string
    const { rmSync } = await import('node:fs')
    rmSync(join(env.dir, gone))
    env.clock.advance(86_400_000)
    // the next day's set no longer has it, but the first set (kept 7 days) does: the mirror keeps it
    expect((await env.core.backupAll(out.dir, 'correct horse', 'test', 7)).recordings).toMatchObject({
      files: 2,
      pruned: 0
    })
    expect(existsSync(join(out.dir, gone))).toBe(true)
    // eight days after it went, every set that named it has gone, and so does it
    env.clock.advance(8 * 86_400_000)
    const late = await env.core.backupAll(out.dir, 'correct horse', 'test', 7)
    expect(late.recordings).toMatchObject({ files: 2, pruned: 1 })
    expect(late.removedSets).toHaveLength(2)
    expect(existsSync(join(out.dir, gone))).toBe(false)
    const index = JSON.parse(readFileSync(join(out.dir, 'recordings.index.json'), 'utf8')) as Record<string, unknown>
    expect(Object.keys(index)).toHaveLength(2)
  })

  it('without a passphrase the backup is refused, written down, and the wallboard says it failed', async () => {
    await expect(env.core.backupAll(out.dir, null, 'schedule')).rejects.toMatchObject({
      key: 'errors.backupPassphraseRequired'
    })
    const live = await ok<{ backup: unknown }>((await loginAs(env.core, 'supervisor')).invoke('reports.live', {}))
    expect(live.backup).toMatchObject({
      scheduled: false,
      last: { ok: false, message: expect.stringContaining('备份需要口令') }
    })
    expect(
      env.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'system.backup.failed'").pluck().get()
    ).toBe(1)
    await env.core.backupAll(out.dir, 'pp', 'test')
    const after = await ok<{ backup: unknown }>((await loginAs(env.core, 'supervisor')).invoke('reports.live', {}))
    expect(after.backup).toMatchObject({ last: { ok: true, message: null } })
  })

  it('runs every night after the set time into the set folder, once a day, keeping the set number of days', async () => {
    recordings(2)
    const admin = await loginAs(env.core, 'admin')
    await ok(admin.invoke('settings.update', { backup: { folder: out.dir, at: '02:00', keepDays: 2 } }))
    const sets = () =>
      readdirSync(out.dir)
        .filter((e) => e.startsWith('leadline-'))
        .sort()
    // the clock stands at 10:00 in Nanning: past 02:00, so the night's backup is due; the hub's core
    // has the passphrase (LEADLINE_BACKUP_PASSPHRASE)
    const core = await createCore({
      dataDir: env.dir,
      clock: env.clock,
      logger: quietLogger,
      recallEveryMs: null,
      backupPassphrase: 'nightly pass'
    })
    try {
      await core.backups.tick()
      expect(sets()).toHaveLength(1)
      await core.backups.tick()
      expect(sets()).toHaveLength(1)
      for (let day = 1; day <= 3; day++) {
        env.clock.advance(86_400_000)
        await core.backups.tick()
      }
      // four nights, two days kept: the first night's set is gone, the recordings mirror stays
      expect(sets()).toEqual(['leadline-20261124T020000Z', 'leadline-20261125T020000Z', 'leadline-20261126T020000Z'])
      expect(
        existsSync(join(out.dir, core.db.prepare('SELECT file FROM recordings LIMIT 1').pluck().get() as string))
      ).toBe(true)
      expect(core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'system.backup'").pluck().get()).toBe(4)
    } finally {
      core.close()
    }
  })

  it('refuses a folder the hub cannot write to, by name, and changes nothing; 立即备份 backs up now into the set folder', async () => {
    const admin = await loginAs(env.core, 'admin')
    for (const folder of ['/proc/nonexistent/leadline', '/sys/leadline-backup'])
      expect(await admin.invoke('settings.update', { backup: { folder, at: '02:00', keepDays: 14 } })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', key: 'errors.backupFolderUnusable', message: expect.stringContaining(folder) }
      })
    expect((await ok<{ backup: { folder: string } }>(admin.invoke('settings.get', {}))).backup.folder).toBe('')
    // the wallboard says the hub has no passphrase: no backup can be made until it has one
    const live = await ok<{ backup: { passphrase: boolean } }>(
      (await loginAs(env.core, 'supervisor')).invoke('reports.live', {})
    )
    expect(live.backup.passphrase).toBe(false)
    const nested = join(out.dir, 'nas', 'leadline')
    await ok(admin.invoke('settings.update', { backup: { folder: nested, at: '02:00', keepDays: 14 } }))
    expect(await admin.invoke('system.backupNow', {})).toMatchObject({
      ok: false,
      error: { key: 'errors.backupPassphraseRequired' }
    })
    const core = await createCore({
      dataDir: env.dir,
      clock: env.clock,
      logger: quietLogger,
      recallEveryMs: null,
      backupPassphrase: 'by hand'
    })
    try {
      const a = await loginAs(core, 'admin')
      const r = await ok<{ set: string; databaseBytes: number }>(a.invoke('system.backupNow', {}))
      expect(readdirSync(nested).map((e) => join(nested, e))).toContain(r.set)
      expect(r.databaseBytes).toBeGreaterThan(0)
      await expect((await loginAs(core, 'op1')).invoke('system.backupNow', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' }
      })
    } finally {
      core.close()
    }
  })
})
