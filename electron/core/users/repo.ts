import type Database from 'better-sqlite3'
import type { Role, User } from '../../../shared/contract'

export interface UserRow {
  id: number
  username: string
  display_name: string
  role: Role
  staff_no: string | null
  district_code: string | null
  team_id: number | null
  password_hash: string
  demo_password: string | null
  disabled: number
  failed_logins: number
  locked_until: string | null
  created_at: string
  updated_at: string
  last_login_at: string | null
}

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    staffNo: r.staff_no,
    districtCode: r.district_code,
    teamId: r.team_id ?? null,
    disabled: r.disabled === 1,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at
  }
}

export interface NewUser {
  username: string
  displayName: string
  role: Role
  staffNo: string | null
  districtCode: string | null
  passwordHash: string
  demoPassword: string | null
  now: string
}

export type UserPatch = Partial<{
  displayName: string
  role: Role
  staffNo: string | null
  districtCode: string | null
  teamId: number | null
  disabled: boolean
}>

const PATCH_COLUMNS: Record<keyof UserPatch, string> = {
  displayName: 'display_name',
  role: 'role',
  staffNo: 'staff_no',
  districtCode: 'district_code',
  teamId: 'team_id',
  disabled: 'disabled'
}

export class UsersRepo {
  /** Goes up with every change this process makes to a user: cached sessions (AuthService) check it. */
  version = 0
  private byIdStmt: Database.Statement<[number], UserRow>
  private byNameStmt: Database.Statement<[string], UserRow>
  private insertStmt: Database.Statement
  private countStmt: Database.Statement<[], { n: number }>
  private activeAdminsStmt: Database.Statement<[], { n: number }>
  private failStmt: Database.Statement
  private loginOkStmt: Database.Statement
  private setPasswordStmt: Database.Statement
  private unlockStmt: Database.Statement
  private unlockAddressesStmt: Database.Statement
  private demoStmt: Database.Statement<[], UserRow>

  constructor(private db: Database.Database) {
    this.byIdStmt = db.prepare('SELECT * FROM users WHERE id = ?')
    this.byNameStmt = db.prepare('SELECT * FROM users WHERE username = ?')
    this.insertStmt = db.prepare(
      `INSERT INTO users (username, display_name, role, staff_no, district_code, password_hash, demo_password, created_at, updated_at)
       VALUES (@username, @displayName, @role, @staffNo, @districtCode, @passwordHash, @demoPassword, @now, @now)`
    )
    this.countStmt = db.prepare('SELECT count(*) AS n FROM users')
    this.activeAdminsStmt = db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0")
    this.failStmt = db.prepare(
      'UPDATE users SET failed_logins = @failed, locked_until = @lockedUntil, updated_at = @now WHERE id = @id'
    )
    // a lock is per address now: logging in at one's own seat does not lift the one on the guessing machine
    // (users.locked_until keeps showing administrators that someone is guessing until it runs out)
    this.loginOkStmt = db.prepare('UPDATE users SET failed_logins = 0, last_login_at = @now WHERE id = @id')
    this.setPasswordStmt = db.prepare(
      `UPDATE users SET password_hash = @hash, demo_password = NULL, failed_logins = 0, locked_until = NULL,
       updated_at = @now WHERE id = @id`
    )
    this.unlockStmt = db.prepare(
      'UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = @now WHERE id = @id'
    )
    this.unlockAddressesStmt = db.prepare(
      'DELETE FROM login_failures WHERE username = (SELECT username FROM users WHERE id = @id)'
    )
    this.demoStmt = db.prepare('SELECT * FROM users WHERE demo_password IS NOT NULL AND disabled = 0 ORDER BY id')
  }

  byId(id: number): UserRow | undefined {
    return this.byIdStmt.get(id)
  }
  byUsername(username: string): UserRow | undefined {
    return this.byNameStmt.get(username)
  }
  /** The id of the user holding a staff number (工号), if any. */
  idByStaffNo(staffNo: string): number | undefined {
    return this.db.prepare('SELECT id FROM users WHERE staff_no = ?').pluck().get(staffNo) as number | undefined
  }
  count(): number {
    return this.countStmt.get()!.n
  }
  activeAdmins(): number {
    return this.activeAdminsStmt.get()!.n
  }
  demoAccounts(): UserRow[] {
    return this.demoStmt.all()
  }
  /** Every account that can log in, with its password's hash (to find ones still on a known default). */
  activeHashes(): { username: string; password_hash: string }[] {
    return this.db.prepare('SELECT username, password_hash FROM users WHERE disabled = 0 ORDER BY id').all() as {
      username: string
      password_hash: string
    }[]
  }

  list(q: { role?: Role; districtCode?: string; includeDisabled?: boolean }): UserRow[] {
    const where: string[] = []
    if (q.role) where.push('role = @role')
    if (q.districtCode) where.push('district_code = @districtCode')
    if (!q.includeDisabled) where.push('disabled = 0')
    const sql = `SELECT * FROM users ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY role, username`
    return this.db.prepare(sql).all(q) as UserRow[]
  }

  insert(u: NewUser): number {
    this.version++
    return Number(this.insertStmt.run(u).lastInsertRowid)
  }

  update(id: number, patch: UserPatch, now: string): void {
    const sets: string[] = []
    const params: Record<string, unknown> = { id, now }
    for (const [k, v] of Object.entries(patch) as [keyof UserPatch, unknown][]) {
      if (v === undefined) continue
      sets.push(`${PATCH_COLUMNS[k]} = @${k}`)
      params[k] = typeof v === 'boolean' ? Number(v) : v
    }
    if (!sets.length) return
    this.version++
    this.db.prepare(`UPDATE users SET ${sets.join(', ')}, updated_at = @now WHERE id = @id`).run(params)
  }

  recordFailure(id: number, failed: number, lockedUntil: string | null, now: string): void {
    this.failStmt.run({ id, failed, lockedUntil, now })
  }
  recordLogin(id: number, now: string): void {
    this.loginOkStmt.run({ id, now })
  }
  setPassword(id: number, hash: string, now: string): void {
    this.version++
    this.setPasswordStmt.run({ id, hash, now })
  }
  /** Lifts a user's locks, from every address they were counted at. */
  unlock(id: number, now: string): void {
    this.db
      .transaction(() => {
        this.unlockStmt.run({ id, now })
        this.unlockAddressesStmt.run({ id })
      })
      .immediate()
  }
}
