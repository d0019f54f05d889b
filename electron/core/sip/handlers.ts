import type { SipAccount } from '../../../shared/contract'
import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import { AppError } from '../errors'
import type { SecretBox } from '../secrets'

interface Row {
  user_id: number
  ws_url: string
  domain: string
  sip_user: string
  password_sealed: Buffer
  display_name: string
  ice_servers: string
  outside_prefix: string
  updated_at: string
}

function toAccount(r: Row): SipAccount {
  return {
    userId: r.user_id,
    wsUrl: r.ws_url,
    domain: r.domain,
    sipUser: r.sip_user,
    displayName: r.display_name,
    iceServers: JSON.parse(r.ice_servers) as SipAccount['iceServers'],
    outsidePrefix: r.outside_prefix,
    updatedAt: r.updated_at
  }
}

export function createSipHandlers(deps: CoreDeps, box: SecretBox, areaCode: () => string): DomainHandlers<'sip'> {
  const { db, clock, audit } = deps
  const byUser = db.prepare('SELECT * FROM sip_accounts WHERE user_id = ?')
  return {
    'sip.myAccount': (_input, ctx) => {
      const { user } = requireUser(ctx)
      const r = byUser.get(user.id) as Row | undefined
      if (!r) return null
      // Only the account's owner ever receives the password, to register their own softphone.
      return { ...toAccount(r), password: box.open(r.password_sealed), localAreaCode: areaCode() }
    },
    'sip.accounts': () =>
      (db.prepare('SELECT s.*, u.username FROM sip_accounts s JOIN users u ON u.id = s.user_id ORDER BY u.username').all() as (Row & { username: string })[]).map((r) => ({
        ...toAccount(r),
        username: r.username
      })),
    'sip.setAccount': (input, ctx) => {
      const { user } = requireUser(ctx)
      if (!db.prepare('SELECT 1 FROM users WHERE id = ?').get(input.userId)) throw new AppError('NOT_FOUND')
      const current = byUser.get(input.userId) as Row | undefined
      if (!current && !input.password) throw new AppError('INVALID_INPUT', 'errors.sipPasswordRequired')
      const sealed = input.password ? box.seal(input.password) : current!.password_sealed
      const now = clock.now().toISOString()
      db.transaction(() => {
        db.prepare(
          `INSERT INTO sip_accounts (user_id, ws_url, domain, sip_user, password_sealed, display_name, ice_servers, outside_prefix, updated_at)
           VALUES (@userId, @wsUrl, @domain, @sipUser, @sealed, @displayName, @ice, @outsidePrefix, @now)
           ON CONFLICT (user_id) DO UPDATE SET ws_url = excluded.ws_url, domain = excluded.domain, sip_user = excluded.sip_user,
             password_sealed = excluded.password_sealed, display_name = excluded.display_name, ice_servers = excluded.ice_servers,
             outside_prefix = excluded.outside_prefix, updated_at = excluded.updated_at`
        ).run({ ...input, sealed, ice: JSON.stringify(input.iceServers), now })
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'sip.setAccount',
          entity: 'user',
          entityId: input.userId,
          details: { wsUrl: input.wsUrl, sipUser: input.sipUser, passwordChanged: !!input.password },
          source: ctx.conn.source
        })
      })()
      return toAccount(byUser.get(input.userId) as Row)
    },
    'sip.removeAccount': (input, ctx) => {
      const { user } = requireUser(ctx)
      if (db.prepare('DELETE FROM sip_accounts WHERE user_id = ?').run(input.userId).changes !== 1) throw new AppError('NOT_FOUND')
      audit.write({ userId: user.id, username: user.username, action: 'sip.removeAccount', entity: 'user', entityId: input.userId, source: ctx.conn.source })
      return { ok: true as const }
    }
  }
}
