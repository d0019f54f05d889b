import type Database from 'better-sqlite3'
import type { SipAccount } from '../../../shared/contract'
import type { SecretBox } from '../secrets'

type IceServer = SipAccount['iceServers'][number]

interface Row {
  user_id: number
  ws_url: string
  domain: string
  sip_user: string
  password_sealed: Buffer
  display_name: string
  ice_servers: string
  ice_credentials_sealed: Buffer | null
  outside_prefix: string
  updated_at: string
}

/** An account as stored, before anyone sees it: the secrets are opened only for its operator. */
export interface StoredAccount {
  account: SipAccount
  username: string
  passwordSealed: Buffer
  /** The ICE servers' credentials, sealed (one per server, null where it has none). */
  iceCredentialsSealed: Buffer | null
}

export interface AccountWrite {
  userId: number
  wsUrl: string
  domain: string
  sipUser: string
  displayName: string
  /** Without their credentials. */
  iceServers: IceServer[]
  outsidePrefix: string
  passwordSealed: Buffer
  iceCredentialsSealed: Buffer | null
  now: string
}

function toAccount(r: Row): SipAccount {
  const ice = JSON.parse(r.ice_servers) as (IceServer & { credential?: string })[]
  return {
    userId: r.user_id,
    wsUrl: r.ws_url,
    domain: r.domain,
    sipUser: r.sip_user,
    displayName: r.display_name,
    // what is stored never carries a credential any more (see sealClearCredentials)
    iceServers: ice.map(({ credential: _c, ...s }) => s),
    outsidePrefix: r.outside_prefix,
    updatedAt: r.updated_at
  }
}

/** The SIP accounts' SQL. */
export class SipRepo {
  private one: Database.Statement<[number], Row & { username: string }>
  private all: Database.Statement<[], Row & { username: string }>
  private upsert: Database.Statement
  private remove_: Database.Statement<[number]>
  private pbxKey_: Database.Statement<[], Buffer>
  private setPbxKey_: Database.Statement<[Buffer, string]>

  constructor(private db: Database.Database) {
    this.one = db.prepare(
      'SELECT s.*, u.username FROM sip_accounts s JOIN users u ON u.id = s.user_id WHERE s.user_id = ?'
    )
    this.all = db.prepare(
      'SELECT s.*, u.username FROM sip_accounts s JOIN users u ON u.id = s.user_id ORDER BY u.username'
    )
    this.upsert = db.prepare(
      `INSERT INTO sip_accounts (user_id, ws_url, domain, sip_user, password_sealed, display_name, ice_servers, ice_credentials_sealed, outside_prefix, updated_at)
       VALUES (@userId, @wsUrl, @domain, @sipUser, @passwordSealed, @displayName, @ice, @iceCredentialsSealed, @outsidePrefix, @now)
       ON CONFLICT (user_id) DO UPDATE SET ws_url = excluded.ws_url, domain = excluded.domain, sip_user = excluded.sip_user,
         password_sealed = excluded.password_sealed, display_name = excluded.display_name, ice_servers = excluded.ice_servers,
         ice_credentials_sealed = excluded.ice_credentials_sealed, outside_prefix = excluded.outside_prefix, updated_at = excluded.updated_at`
    )
    this.remove_ = db.prepare('DELETE FROM sip_accounts WHERE user_id = ?')
    this.pbxKey_ = db.prepare<[], Buffer>('SELECT key_sealed FROM pbx_link WHERE id = 1').pluck()
    this.setPbxKey_ = db.prepare(
      `INSERT INTO pbx_link (id, key_sealed, created_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET key_sealed = excluded.key_sealed, created_at = excluded.created_at`
    )
  }

  /** The centre's PBX key, sealed (undefined until first made). */
  pbxKeySealed(): Buffer | undefined {
    return this.pbxKey_.get()
  }

  setPbxKey(sealed: Buffer, at: string): void {
    this.setPbxKey_.run(sealed, at)
  }

  userExists(userId: number): boolean {
    this.exists ??= this.db.prepare('SELECT 1 FROM users WHERE id = ?')
    return this.exists.get(userId) !== undefined
  }

  private exists: Database.Statement | undefined

  /** An active user by 工号 or user name (the 工号 first), for a floor's lines from a spreadsheet. */
  userByKey(key: string): { id: number; username: string; display_name: string } | undefined {
    this.byKey ??= this.db.prepare(
      'SELECT id, username, display_name FROM users WHERE disabled = 0 AND (staff_no = @key OR username = @key) ORDER BY staff_no = @key DESC LIMIT 1'
    )
    return this.byKey.get({ key }) as { id: number; username: string; display_name: string } | undefined
  }

  private byKey: Database.Statement | undefined

  get(userId: number): StoredAccount | null {
    const r = this.one.get(userId)
    return r
      ? {
          account: toAccount(r),
          username: r.username,
          passwordSealed: r.password_sealed,
          iceCredentialsSealed: r.ice_credentials_sealed
        }
      : null
  }

  list(): StoredAccount[] {
    return this.all.all().map((r) => ({
      account: toAccount(r),
      username: r.username,
      passwordSealed: r.password_sealed,
      iceCredentialsSealed: r.ice_credentials_sealed
    }))
  }

  save(w: AccountWrite): void {
    this.upsert.run({ ...w, ice: JSON.stringify(w.iceServers) })
  }

  remove(userId: number): boolean {
    return this.remove_.run(userId).changes === 1
  }

  /** Credentials an older version kept in the clear beside the ICE servers are sealed and taken out. */
  sealClearCredentials(box: SecretBox): number {
    const rows = this.db
      .prepare('SELECT user_id, ice_servers FROM sip_accounts WHERE ice_servers LIKE \'%"credential"%\'')
      .all() as { user_id: number; ice_servers: string }[]
    const put = this.db.prepare('UPDATE sip_accounts SET ice_servers = ?, ice_credentials_sealed = ? WHERE user_id = ?')
    this.db
      .transaction(() => {
        for (const r of rows) {
          const ice = JSON.parse(r.ice_servers) as (IceServer & { credential?: string })[]
          const creds = ice.map((s) => s.credential ?? null)
          put.run(JSON.stringify(ice.map(({ credential: _c, ...s }) => s)), box.seal(JSON.stringify(creds)), r.user_id)
        }
      })
      .immediate()
    return rows.length
  }
}
