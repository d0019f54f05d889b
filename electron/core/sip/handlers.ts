import { readFileSync } from 'node:fs'
import { PBX_DIAL_PATH, PBX_INBOUND_PATH, type Input, type SipAccount } from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import { AppError } from '../errors'
import { readTable } from '../leads/read-table'
import type { SecretBox } from '../secrets'
import type { UploadStore } from '../uploads'
import type { PbxDial } from './pbx-dial'
import { digestKey, testRegister } from './register-test'
import { SipRepo, type StoredAccount } from './repo'

type IceIn = Input<'sip.setAccount'>['iceServers'][number]
const sameServer = (
  a: { urls: string | string[]; username?: string },
  b: { urls: string | string[]; username?: string }
) => JSON.stringify(a.urls) === JSON.stringify(b.urls) && a.username === b.username

/** Columns of a line list, as people head them. */
const COLUMNS = {
  staffNo: ['工号', 'staffno', 'staff no', 'staff_no'],
  username: ['用户名', '账号', 'username', 'user', 'login'],
  ext: ['分机', '分机号', 'sip账号', 'sip 账号', 'extension', 'ext', 'sip user', 'sipuser'],
  password: ['密码', 'sip密码', 'sip 密码', 'password'],
  displayName: ['显示名', '姓名', 'display name', 'displayname', 'name']
}

export function createSipHandlers(
  deps: CoreDeps,
  box: SecretBox,
  areaCode: () => string,
  uploads: UploadStore,
  pbxDial: PbxDial
): DomainHandlers<'sip'> {
  const { db, clock, audit } = deps
  const repo = new SipRepo(db)
  repo.sealClearCredentials(box)
  const credentialsOf = (s: StoredAccount): (string | null)[] =>
    s.iceCredentialsSealed ? (JSON.parse(box.open(s.iceCredentialsSealed)) as (string | null)[]) : []
  /** An account as the administrator sees it: whether each TURN server has a credential, never the credential. */
  const shown = (s: StoredAccount): SipAccount => {
    const creds = credentialsOf(s)
    return {
      ...s.account,
      iceServers: s.account.iceServers.map((x, i) => (creds[i] ? { ...x, hasCredential: true } : x))
    }
  }
  /** Writes a line: a password or TURN credential left out keeps the one stored (for the same server). */
  const write = (input: Input<'sip.setAccount'>) => {
    const current = repo.get(input.userId)
    if (!current && !input.password) throw new AppError('INVALID_INPUT', 'errors.sipPasswordRequired')
    const stored = current ? credentialsOf(current) : []
    const creds = input.iceServers.map(
      (x: IceIn) =>
        x.credential ??
        (current ? (stored[current.account.iceServers.findIndex((s) => sameServer(s, x))] ?? null) : null)
    )
    repo.save({
      userId: input.userId,
      wsUrl: input.wsUrl,
      domain: input.domain,
      sipUser: input.sipUser,
      displayName: input.displayName,
      outsidePrefix: input.outsidePrefix,
      iceServers: input.iceServers.map(({ credential: _c, ...x }: IceIn) => x),
      passwordSealed: input.password ? box.seal(input.password) : current!.passwordSealed,
      iceCredentialsSealed: creds.some(Boolean) ? box.seal(JSON.stringify(creds)) : null,
      now: clock.now().toISOString()
    })
  }

  return {
    'sip.myAccount': (_input, ctx) => {
      const { user } = requireUser(ctx)
      const s = repo.get(user.id)
      if (!s) return null
      // Only the account's owner receives the digest key and TURN credentials, to register their own
      // softphone; the password stays in core (the key works for this realm only, and the PBX dials no
      // customer for it without a dial token).
      const creds = credentialsOf(s)
      return {
        ...s.account,
        iceServers: s.account.iceServers.map((x, i) => (creds[i] ? { ...x, credential: creds[i]! } : x)),
        ha1: digestKey(s.account.sipUser, s.account.domain, box.open(s.passwordSealed)),
        localAreaCode: areaCode()
      }
    },
    'sip.pbxLink': (input, ctx) => {
      const { user } = requireUser(ctx)
      const key = pbxDial.key(input.rotate)
      audit.write({
        userId: user.id,
        username: user.username,
        action: input.rotate ? 'sip.pbxKeyRotated' : 'sip.pbxKeyShown',
        entity: 'system',
        source: ctx.conn.source
      })
      return { path: PBX_DIAL_PATH, inboundPath: PBX_INBOUND_PATH, key, pbxDialsByToken: pbxDial.tokensOn() }
    },
    'sip.accounts': () => repo.list().map((s) => ({ ...shown(s), username: s.username })),
    'sip.setAccount': (input, ctx) => {
      const { user } = requireUser(ctx)
      if (!repo.userExists(input.userId)) throw new AppError('NOT_FOUND')
      db.transaction(() => {
        write(input)
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'sip.setAccount',
          entity: 'user',
          entityId: input.userId,
          details: { wsUrl: input.wsUrl, sipUser: input.sipUser, passwordChanged: !!input.password },
          source: ctx.conn.source
        })
      }).immediate()
      return shown(repo.get(input.userId)!)
    },
    'sip.removeAccount': (input, ctx) => {
      const { user } = requireUser(ctx)
      if (!repo.remove(input.userId)) throw new AppError('NOT_FOUND')
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'sip.removeAccount',
        entity: 'user',
        entityId: input.userId,
        source: ctx.conn.source
      })
      return { ok: true as const }
    },
    'sip.testRegister': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const saved = input.userId ? repo.get(input.userId) : null
      if (input.userId && !saved && !input.password) throw new AppError('NOT_FOUND')
      const a = {
        wsUrl: input.wsUrl ?? saved?.account.wsUrl,
        domain: input.domain ?? saved?.account.domain,
        sipUser: input.sipUser ?? saved?.account.sipUser,
        displayName: input.displayName ?? saved?.account.displayName ?? '',
        password: input.password ?? (saved ? box.open(saved.passwordSealed) : undefined)
      }
      if (!a.wsUrl || !a.domain || !a.sipUser || !a.password)
        throw new AppError('INVALID_INPUT', 'errors.sipTestIncomplete')
      // a stored password answers only its own server's challenge: sent elsewhere, its digest could be
      // cracked there. Another server is tried with a password typed for it.
      if (
        !input.password &&
        saved &&
        (a.wsUrl !== saved.account.wsUrl || a.domain !== saved.account.domain || a.sipUser !== saved.account.sipUser)
      )
        throw new AppError('INVALID_INPUT', 'errors.sipTestStoredElsewhere')
      const r = await testRegister({
        wsUrl: a.wsUrl,
        domain: a.domain,
        sipUser: a.sipUser,
        displayName: a.displayName,
        password: a.password
      })
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'sip.testRegister',
        entity: 'user',
        entityId: input.userId,
        details: { wsUrl: a.wsUrl, sipUser: a.sipUser, verdict: r.verdict, status: r.status },
        source: ctx.conn.source
      })
      return {
        verdict: r.verdict,
        status: r.status,
        text: translate(ctx.conn.locale, `sipTest.${r.verdict}`, {
          status: r.status ?? '',
          reason: r.reason,
          url: a.wsUrl,
          domain: a.domain
        })
      }
    },
    'sip.importLines': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const { file, name } = uploads.complete(input.uploadId, user.id)
      const table = await readTable(readFileSync(file))
      const headers = table.headers.map((h) => h.trim().toLowerCase())
      const col = (names: string[]) => headers.findIndex((h) => names.includes(h))
      const at = {
        staffNo: col(COLUMNS.staffNo),
        username: col(COLUMNS.username),
        ext: col(COLUMNS.ext),
        password: col(COLUMNS.password),
        displayName: col(COLUMNS.displayName)
      }
      const say = (key: string, params?: Record<string, string | number>) => translate(ctx.conn.locale, key, params)
      if ((at.staffNo < 0 && at.username < 0) || at.ext < 0 || at.password < 0)
        throw new AppError('INVALID_INPUT', 'errors.sipImportColumns')
      const errors: { row: number; reason: string }[] = []
      const lines: Input<'sip.setAccount'>[] = []
      const seenExt = new Map<string, number>()
      const seenUser = new Set<number>()
      for (const r of table.rows) {
        const cell = (i: number) => (i >= 0 ? (r.cells[i] ?? '').trim() : '')
        const key = cell(at.staffNo) || cell(at.username)
        if (!key && !cell(at.ext) && !cell(at.password)) continue
        const u = key ? repo.userByKey(key) : undefined
        const ext = cell(at.ext)
        const password = cell(at.password)
        const refuse = (reason: string) => errors.push({ row: r.rowNo, reason })
        if (!u) refuse(say('errors.sipImportNoUser', { key: key || '—' }))
        else if (!/^[A-Za-z0-9_.+-]{1,64}$/.test(ext)) refuse(say('errors.sipImportBadExt', { ext: ext || '—' }))
        else if (!password) refuse(say('errors.sipImportNoPassword'))
        else if (seenExt.has(ext)) refuse(say('errors.sipImportDuplicateExt', { ext, row: seenExt.get(ext)! }))
        else if (seenUser.has(u.id)) refuse(say('errors.sipImportDuplicateUser', { key }))
        else {
          seenExt.set(ext, r.rowNo)
          seenUser.add(u.id)
          lines.push({
            userId: u.id,
            wsUrl: input.wsUrl,
            domain: input.domain,
            sipUser: ext,
            displayName: cell(at.displayName) || u.display_name,
            outsidePrefix: input.outsidePrefix,
            iceServers: input.iceServers,
            password
          })
        }
      }
      // all or nothing: a floor's lines go in together or not at all
      if (!errors.length && !input.dryRun) {
        db.transaction(() => {
          for (const l of lines) write(l)
          audit.write({
            userId: user.id,
            username: user.username,
            action: 'sip.importLines',
            entity: 'user',
            details: { fileName: name, rows: lines.length, wsUrl: input.wsUrl },
            source: ctx.conn.source
          })
        }).immediate()
        uploads.remove(input.uploadId)
      }
      return { rows: lines.length + errors.length, set: errors.length || input.dryRun ? 0 : lines.length, errors }
    }
  }
}
