import type { Role } from '../../../shared/contract'
import { AppError } from '../errors'
import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import { hashPassword } from '../auth/password'
import type { SessionsRepo } from '../auth/sessions-repo'
import type { DistrictsRepo } from '../districts/repo'
import { toUser, type UsersRepo } from './repo'
import type { TeamsService } from '../teams/service'

/** Leaders and field agents work one district only (不得跨区营销), so they must have one. */
const DISTRICT_ROLES: readonly Role[] = ['leader', 'field_agent']

export function createUsersHandlers(
  deps: CoreDeps,
  users: UsersRepo,
  sessions: SessionsRepo,
  districts: DistrictsRepo,
  teams: TeamsService
): DomainHandlers<'users'> {
  const { db, clock, audit, events } = deps

  function checkDistrict(role: Role, districtCode: string | null): void {
    if (DISTRICT_ROLES.includes(role) && !districtCode) throw new AppError('INVALID_INPUT', 'errors.districtRequired')
    if (districtCode && !districts.exists(districtCode)) {
      throw new AppError('INVALID_INPUT', 'errors.unknownDistrict', { code: districtCode })
    }
  }

  function checkUnique(username: string | null, staffNo: string | null | undefined, selfId: number | null): void {
    if (username) {
      const other = users.byUsername(username)
      if (other && other.id !== selfId) throw new AppError('CONFLICT', 'errors.usernameTaken', { username })
    }
    if (staffNo) {
      const clash = users.idByStaffNo(staffNo)
      if (clash !== undefined && clash !== selfId) throw new AppError('CONFLICT', 'errors.staffNoTaken', { staffNo })
    }
  }

  /** Only operators are in a team, and it must exist. */
  function checkTeam(role: Role, teamId: number | null): void {
    if (teamId === null) return
    if (role !== 'operator') throw new AppError('INVALID_INPUT', 'errors.teamMemberRole')
    if (!teams.repo.exists(teamId)) throw new AppError('INVALID_INPUT', 'errors.unknownTeam')
  }

  function mustFind(id: number) {
    const row = users.byId(id)
    if (!row) throw new AppError('NOT_FOUND')
    return row
  }

  return {
    'users.list': (input) => users.list(input).map(toUser),

    'users.names': (input) =>
      teams.repo.names(!!input.includeDisabled).map((n) => ({ ...n, disabled: n.disabled === 1 })),

    'users.create': async (input, ctx) => {
      const { user: actor } = requireUser(ctx)
      const districtCode = input.districtCode ?? null
      checkDistrict(input.role, districtCode)
      checkUnique(input.username, input.staffNo, null)
      const passwordHash = await hashPassword(input.password)
      const id = db
        .transaction(() => {
          checkUnique(input.username, input.staffNo, null)
          const newId = users.insert({
            username: input.username,
            displayName: input.displayName,
            role: input.role,
            staffNo: input.staffNo ?? null,
            districtCode,
            passwordHash,
            demoPassword: null,
            now: clock.now().toISOString()
          })
          audit.write({
            userId: actor.id,
            username: actor.username,
            action: 'users.create',
            entity: 'user',
            entityId: newId,
            details: { username: input.username, role: input.role, districtCode },
            source: ctx.conn.source
          })
          return newId
        })
        .immediate()
      events.emit('users.changed', { userId: id })
      return toUser(users.byId(id)!)
    },

    'users.update': (input, ctx) => {
      const { user: actor } = requireUser(ctx)
      const { id, ...patch } = input
      const before = mustFind(id)
      const role = patch.role ?? before.role
      const districtCode = patch.districtCode !== undefined ? patch.districtCode : before.district_code
      checkDistrict(role, districtCode)
      checkUnique(null, patch.staffNo, id)
      // a user who stops being an operator leaves their team
      const teamId = patch.teamId !== undefined ? patch.teamId : role === 'operator' ? before.team_id : null
      checkTeam(role, teamId)
      const losesAdmin = before.role === 'admin' && !before.disabled && (role !== 'admin' || patch.disabled === true)
      const changes = { ...patch, ...(teamId !== before.team_id ? { teamId } : {}) }
      const endsSessions = patch.disabled === true || (patch.role !== undefined && patch.role !== before.role)
      db.transaction(() => {
        if (losesAdmin && users.activeAdmins() <= 1) throw new AppError('CONFLICT', 'errors.lastAdmin')
        const now = clock.now().toISOString()
        users.update(id, { ...patch, teamId }, now)
        if (before.role === 'supervisor' && (role !== 'supervisor' || patch.disabled)) teams.repo.dropSupervisor(id)
        // A changed role or a disabled account takes effect at once, not at the next login.
        if (endsSessions) sessions.endAllOf(id, patch.disabled ? 'disabled' : 'role changed', now)
        audit.write({
          userId: actor.id,
          username: actor.username,
          action: 'users.update',
          entity: 'user',
          entityId: id,
          // what changed, before and after
          details: {
            before: Object.fromEntries(Object.keys(changes).map((k) => [k, toUser(before)[k as keyof typeof changes]])),
            after: changes
          },
          source: ctx.conn.source
        })
      }).immediate()
      events.emit('users.changed', { userId: id })
      if (endsSessions)
        events.emit('session.ended', { userId: id, reason: patch.disabled ? 'disabled' : 'role changed' })
      return toUser(users.byId(id)!)
    },

    'users.resetPassword': async (input, ctx) => {
      const { user: actor } = requireUser(ctx)
      mustFind(input.id)
      const hash = await hashPassword(input.password)
      db.transaction(() => {
        const now = clock.now().toISOString()
        users.setPassword(input.id, hash, now)
        sessions.endAllOf(input.id, 'password reset', now)
        audit.write({
          userId: actor.id,
          username: actor.username,
          action: 'users.resetPassword',
          entity: 'user',
          entityId: input.id,
          source: ctx.conn.source
        })
      }).immediate()
      events.emit('session.ended', { userId: input.id, reason: 'password reset' })
      return { ok: true as const }
    },

    'users.unlock': (input, ctx) => {
      const { user: actor } = requireUser(ctx)
      mustFind(input.id)
      db.transaction(() => {
        users.unlock(input.id, clock.now().toISOString())
        audit.write({
          userId: actor.id,
          username: actor.username,
          action: 'users.unlock',
          entity: 'user',
          entityId: input.id,
          source: ctx.conn.source
        })
      }).immediate()
      events.emit('users.changed', { userId: input.id })
      return { ok: true as const }
    }
  }
}
