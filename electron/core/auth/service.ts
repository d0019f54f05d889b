import type { SessionInfo, User } from '../../../shared/contract'
import { AppError } from '../errors'
import { HOUR, MINUTE } from '../clock'
import type { CoreDeps, CallContext, DomainHandlers } from '../context'
import { requireUser } from '../context'
import type { SettingsStore } from '../settings/service'
import { toUser, type UsersRepo, type UserRow } from '../users/repo'
import { DUMMY_HASH, hashPassword, hashToken, newToken, sameSecret, verifyPassword } from './password'
import type { SessionsRepo } from './sessions-repo'
import { addressOf, LoginGate } from './login-gate'
import { LoginFailures } from './login-failures-repo'

/** Refresh a session's last-seen time at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = MINUTE
/**
 * A resolved session is kept this long at most. Every session this process ends, and every user it
 * changes, drops them all at once (the repositories' versions); the limit is for what another
 * process (the CLI on the same data folder) does.
 */
const SESSION_CACHE_MS = 5_000

/** A live session, or (user null) a token that resolved to nothing: a page left on a logged-out socket. */
interface CachedSession {
  sessionId: number
  user: User | null
  expiresAt: number
  lastSeenAt: number
  checkedAt: number
  versions: string
}

export class AuthService {
  constructor(
    private deps: CoreDeps,
    private users: UsersRepo,
    private sessions: SessionsRepo,
    private settings: SettingsStore,
    /** Accounts still on their demo password may log in (not on a hub shared on the LAN, unless asked for). */
    private demoLogins = true,
    /** The one-time code the first administrator needs on a hub on the LAN (createCore's setupCode). */
    private setupCode: string | null = null
  ) {
    this.failures = new LoginFailures(deps.db)
  }

  private cache = new Map<string, CachedSession>()

  /**
   * The user behind a token, or null when it is unknown, ended, expired or the user is disabled.
   * Every request and every event pushed to every seat asks this, so a live session is kept in
   * memory (SESSION_CACHE_MS) instead of two queries and a hash each time.
   */
  resolve(token: string | null): { user: User; sessionId: number } | null {
    if (!token) return null
    const now = this.deps.clock.now().getTime()
    const versions = `${this.sessions.version}/${this.users.version}`
    let c = this.cache.get(token)
    if (!c || c.versions !== versions || now - c.checkedAt > SESSION_CACHE_MS || now < c.checkedAt) {
      c = this.load(token, now, versions)
    }
    if (!c.user || c.expiresAt <= now) return null
    if (now - c.lastSeenAt > TOUCH_EVERY_MS) {
      this.sessions.touch(c.sessionId, new Date(now).toISOString())
      c.lastSeenAt = now
    }
    return { user: c.user, sessionId: c.sessionId }
  }

  private load(token: string, now: number, versions: string): CachedSession {
    // a hub has a few hundred seats; a flood of distinct tokens must not grow this without bound
    if (this.cache.size >= 10_000) this.cache.clear()
    const s = this.sessions.byTokenHash(hashToken(token))
    const row = s && !s.ended_at && Date.parse(s.expires_at) > now ? this.users.byId(s.user_id) : undefined
    const c: CachedSession =
      s && row && !row.disabled
        ? {
            sessionId: s.id,
            user: toUser(row),
            expiresAt: Date.parse(s.expires_at),
            lastSeenAt: Date.parse(s.last_seen_at),
            checkedAt: now,
            versions
          }
        : { sessionId: 0, user: null, expiresAt: 0, lastSeenAt: now, checkedAt: now, versions }
    this.cache.set(token, c)
    return c
  }

  /** Why `resolve` said no, for a message better than "log in". */
  isExpired(token: string): boolean {
    const s = this.sessions.byTokenHash(hashToken(token))
    return !!s && !s.ended_at && new Date(s.expires_at) <= this.deps.clock.now()
  }

  private openSession(row: UserRow, ctx: CallContext, action: string): SessionInfo {
    const { clock, audit, db } = this.deps
    const now = clock.now()
    const token = newToken()
    const expiresAt = new Date(now.getTime() + this.settings.get().sessionHours * HOUR).toISOString()
    db.transaction(() => {
      this.users.recordLogin(row.id, now.toISOString())
      this.sessions.create({
        tokenHash: hashToken(token),
        userId: row.id,
        source: ctx.conn.source,
        now: now.toISOString(),
        expiresAt
      })
      audit.write({
        userId: row.id,
        username: row.username,
        action,
        entity: 'user',
        entityId: row.id,
        source: ctx.conn.source
      })
    }).immediate()
    ctx.conn.token = token
    ctx.conn.userId = row.id
    return { token, expiresAt, user: toUser(this.users.byId(row.id)!) }
  }

  private gate = new LoginGate()
  private failures: LoginFailures

  /**
   * A login. Wrong passwords are counted per account and address: the machine that guesses is
   * locked out, not the real user at their own seat. Unknown, disabled and real accounts answer
   * alike, and a flood of attempts is refused before any password is hashed.
   */
  async login(username: string, password: string, ctx: CallContext): Promise<SessionInfo> {
    const { clock, audit } = this.deps
    const address = addressOf(ctx.conn.source)
    const started = clock.now()
    if (this.gate.blocked(address, started.getTime())) throw new AppError('UNAVAILABLE', 'errors.tooManyLogins')
    const pair = this.failures.get(username, address)
    if (pair.lockedUntil && new Date(pair.lockedUntil) > started) {
      const minutes = Math.ceil((new Date(pair.lockedUntil).getTime() - started.getTime()) / MINUTE)
      const row = this.users.byUsername(username)
      audit.write({
        userId: row?.id ?? null,
        username,
        action: 'auth.login.refused',
        details: { reason: 'locked', address },
        source: ctx.conn.source
      })
      throw new AppError('LOCKED', 'errors.accountLocked', { minutes })
    }
    const row = this.users.byUsername(username)
    // Check a hash even for unknown users: the time taken must not tell which names exist.
    const ok = await this.gate.check(
      address,
      () => ctx.conn.closed === true,
      () => verifyPassword(password, row?.password_hash ?? DUMMY_HASH)
    )
    // Re-read after the await: another login may have changed the account meanwhile.
    const fresh = row && this.users.byId(row.id)
    const now = clock.now()
    if (ok && fresh && !fresh.disabled && (this.demoLogins || fresh.demo_password === null)) {
      this.failures.clear(username, address)
      return this.openSession(fresh, ctx, 'auth.login')
    }
    // A wrong password, an unknown name and a disabled account are one answer.
    const { lockoutThreshold, lockoutMinutes } = this.settings.get()
    const failed = pair.failed + 1
    const locks = failed >= lockoutThreshold
    const lockedUntil = locks ? new Date(now.getTime() + lockoutMinutes * MINUTE).toISOString() : null
    this.gate.noteFailure(address, now.getTime())
    this.deps.db
      .transaction(() => {
        this.failures.put(username, address, locks ? 0 : failed, lockedUntil, now.toISOString())
        // the account shows its lock to administrators (用户管理), who may lift it
        if (fresh)
          this.users.recordFailure(fresh.id, locks ? 0 : failed, lockedUntil ?? fresh.locked_until, now.toISOString())
        audit.write({
          userId: fresh?.id ?? null,
          username,
          action: locks ? 'auth.locked' : 'auth.login.failed',
          entity: fresh ? 'user' : undefined,
          entityId: fresh?.id,
          details: {
            failed,
            address,
            ...(fresh ? {} : { reason: 'unknown user' }),
            ...(fresh?.disabled && ok ? { reason: 'disabled' } : {})
          },
          source: ctx.conn.source
        })
      })
      .immediate()
    if (locks) throw new AppError('LOCKED', 'errors.accountLocked', { minutes: lockoutMinutes })
    throw new AppError('UNAUTHENTICATED', 'errors.badCredentials')
  }

  handlers(): DomainHandlers<'auth'> {
    const { clock, audit, db, events } = this.deps
    return {
      'auth.login': (input, ctx) => this.login(input.username, input.password, ctx),
      'auth.resume': (input, ctx) => {
        const found = this.resolve(input.token)
        if (!found) {
          throw new AppError('UNAUTHENTICATED', this.isExpired(input.token) ? 'errors.sessionExpired' : undefined)
        }
        const s = this.sessions.byTokenHash(hashToken(input.token))!
        ctx.conn.token = input.token
        ctx.conn.userId = found.user.id
        return { token: input.token, expiresAt: s.expires_at, user: found.user }
      },
      'auth.setupFirstAdmin': async (input, ctx) => {
        if (this.users.count() > 0) throw new AppError('CONFLICT', 'errors.alreadySetUp')
        if (this.setupCode !== null && !sameSecret(input.setupCode ?? '', this.setupCode)) {
          audit.write({
            userId: null,
            username: input.username,
            action: 'auth.setupFirstAdmin.refused',
            details: { reason: input.setupCode ? 'wrong setup code' : 'no setup code' },
            source: ctx.conn.source
          })
          throw new AppError('FORBIDDEN', 'errors.badSetupCode')
        }
        const passwordHash = await hashPassword(input.password)
        const now = clock.now().toISOString()
        // The check is repeated inside the transaction: two first-admin requests racing
        // across the await must not both succeed.
        const id = db
          .transaction(() => {
            if (this.users.count() > 0) throw new AppError('CONFLICT', 'errors.alreadySetUp')
            const newId = this.users.insert({
              username: input.username,
              displayName: input.displayName,
              role: 'admin',
              staffNo: null,
              districtCode: null,
              passwordHash,
              demoPassword: null,
              now
            })
            audit.write({
              userId: newId,
              username: input.username,
              action: 'users.create',
              entity: 'user',
              entityId: newId,
              details: { role: 'admin', firstAdmin: true },
              source: ctx.conn.source
            })
            return newId
          })
          .immediate()
        return this.openSession(this.users.byId(id)!, ctx, 'auth.login')
      },
      'auth.logout': (_input, ctx) => {
        const { user, sessionId } = requireUser(ctx)
        db.transaction(() => {
          this.sessions.end(sessionId, 'logout', clock.now().toISOString())
          audit.write({
            userId: user.id,
            username: user.username,
            action: 'auth.logout',
            entity: 'user',
            entityId: user.id,
            source: ctx.conn.source
          })
        }).immediate()
        ctx.conn.token = null
        return { ok: true as const }
      },
      'auth.me': (_input, ctx) => requireUser(ctx).user,
      'auth.changePassword': async (input, ctx) => {
        const { user, sessionId } = requireUser(ctx)
        const row = this.users.byId(user.id)!
        if (!(await verifyPassword(input.currentPassword, row.password_hash))) {
          throw new AppError('INVALID_INPUT', 'errors.wrongCurrentPassword')
        }
        const hash = await hashPassword(input.newPassword)
        const now = clock.now().toISOString()
        db.transaction(() => {
          this.users.setPassword(user.id, hash, now)
          this.sessions.endAllOf(user.id, 'password changed', now, sessionId)
          audit.write({
            userId: user.id,
            username: user.username,
            action: 'auth.changePassword',
            entity: 'user',
            entityId: user.id,
            source: ctx.conn.source
          })
        }).immediate()
        events.emit('session.ended', { userId: user.id, reason: 'password changed' })
        return { ok: true as const }
      }
    }
  }
}
