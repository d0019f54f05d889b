import type { Settings, Team, User } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { TeamsRepo, type TeamRow } from './repo'

/** Which operators a team-scoped view covers: the operators of these teams, or everyone (null). */
export type TeamScope = number[] | null

/**
 * Teams (班组): a team has a name, a supervisor and its operators; an operator is in one team at most.
 * Views of operators' work (the wallboard, the reports, QA's returned successes and appeals, missed
 * callbacks) are scoped by team: a supervisor sees their own team unless they ask for another or for
 * all, which the centre allows by default (系统设置 → 班组).
 */
export class TeamsService {
  readonly repo: TeamsRepo

  constructor(
    private deps: CoreDeps,
    private settings: () => Settings
  ) {
    this.repo = new TeamsRepo(deps.db)
  }

  private toTeam(r: TeamRow, viewer: User | null): Team {
    return {
      id: r.id,
      name: r.name,
      supervisorId: r.supervisor_id,
      supervisorName: r.supervisor_name,
      memberIds: this.repo.members(r.id),
      mine: viewer !== null && r.supervisor_id === viewer.id
    }
  }

  list(viewer: User): { teams: Team[]; seeAll: boolean } {
    return {
      teams: this.repo.list().map((r) => this.toTeam(r, viewer)),
      seeAll: viewer.role !== 'supervisor' || this.settings().teams.supervisorsSeeAll
    }
  }

  /**
   * The scope of a view for this user: a team asked for, every team ('all'), or by default a
   * supervisor's own teams (everyone for a supervisor of none, for QA and administrators).
   */
  scopeOf(user: User, requested: number | 'all' | undefined): TeamScope {
    if (user.role !== 'supervisor') return typeof requested === 'number' ? [requested] : null
    const own = this.repo.supervisedBy(user.id)
    // a supervisor who leads no team is everyone's
    if (!own.length) return typeof requested === 'number' ? [requested] : null
    const mayAll = this.settings().teams.supervisorsSeeAll
    if (requested === undefined) return own
    if (requested === 'all') {
      if (!mayAll) throw new AppError('FORBIDDEN', 'errors.teamsOwnOnly')
      return null
    }
    if (!own.includes(requested) && !mayAll) throw new AppError('FORBIDDEN', 'errors.teamsOwnOnly')
    return [requested]
  }

  /**
   * The scope of a centre-wide document (the daily report): every team unless this user is a
   * supervisor held to their own teams, then those; a team asked for narrows it as in `scopeOf`.
   */
  widestScope(user: User, requested: number | 'all' | undefined): TeamScope {
    if (requested !== undefined) return this.scopeOf(user, requested)
    if (user.role !== 'supervisor' || this.settings().teams.supervisorsSeeAll) return null
    return this.scopeOf(user, undefined)
  }

  /**
   * May this user oversee this operator live (monitor their calls)? Administrators may; a supervisor
   * may for the operators of their own teams, or anyone's when they lead none or the centre lets
   * supervisors see every team.
   */
  mayOversee(user: User, operatorId: number): boolean {
    if (user.role === 'admin') return true
    if (user.role !== 'supervisor') return false
    const own = this.repo.supervisedBy(user.id)
    if (!own.length || this.settings().teams.supervisorsSeeAll) return true
    const team = this.repo.user(operatorId)?.team_id ?? null
    return team !== null && own.includes(team)
  }

  /** Refuses, in words, what concerns an operator this user may not oversee (another team's). */
  mustOversee(user: User, operatorId: number | undefined): void {
    if (operatorId !== undefined && !this.mayOversee(user, operatorId))
      throw new AppError('FORBIDDEN', 'errors.teamsOwnOnly')
  }

  /** Is this operator inside a view's scope (null: everyone)? */
  inScope(scope: TeamScope, operatorId: number): boolean {
    if (scope === null) return true
    const team = this.repo.user(operatorId)?.team_id ?? null
    return team !== null && scope.includes(team)
  }

  private check(
    name: string | undefined,
    supervisorId: number | null | undefined,
    memberIds: number[] | undefined,
    selfId: number | null
  ) {
    if (name !== undefined && this.repo.nameTaken(name, selfId))
      throw new AppError('CONFLICT', 'errors.teamNameTaken', { name })
    if (supervisorId) {
      const s = this.repo.user(supervisorId)
      if (!s || s.disabled || s.role !== 'supervisor') throw new AppError('INVALID_INPUT', 'errors.teamSupervisorRole')
    }
    for (const id of memberIds ?? []) {
      const u = this.repo.user(id)
      if (!u || u.role !== 'operator') throw new AppError('INVALID_INPUT', 'errors.teamMemberRole')
    }
  }

  private write(user: User, action: string, teamId: number, details: Record<string, unknown>): void {
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action,
      entity: 'team',
      entityId: teamId,
      details,
      source: 'core'
    })
  }

  create(user: User, input: { name: string; supervisorId?: number | null; memberIds?: number[] }): Team {
    const at = this.deps.clock.now().toISOString()
    const id = this.repo.transaction(() => {
      this.check(input.name, input.supervisorId, input.memberIds, null)
      const newId = this.repo.add(input.name, input.supervisorId ?? null, at)
      if (input.memberIds) this.repo.setMembers(newId, input.memberIds, at)
      this.write(user, 'teams.create', newId, {
        name: input.name,
        supervisorId: input.supervisorId ?? null,
        memberIds: input.memberIds ?? []
      })
      return newId
    })
    this.changed(input.memberIds ?? [])
    return this.toTeam(this.repo.byId(id)!, user)
  }

  update(user: User, input: { id: number; name?: string; supervisorId?: number | null; memberIds?: number[] }): Team {
    const at = this.deps.clock.now().toISOString()
    const moved: number[] = []
    this.repo.transaction(() => {
      const before = this.repo.byId(input.id)
      if (!before) throw new AppError('NOT_FOUND')
      const beforeMembers = this.repo.members(input.id)
      this.check(input.name, input.supervisorId, input.memberIds, input.id)
      if (input.name !== undefined) this.repo.rename(input.id, input.name)
      if (input.supervisorId !== undefined) this.repo.setSupervisor(input.id, input.supervisorId)
      if (input.memberIds) {
        this.repo.setMembers(input.id, input.memberIds, at)
        moved.push(...new Set([...beforeMembers, ...input.memberIds]))
      }
      this.write(user, 'teams.update', input.id, {
        before: { name: before.name, supervisorId: before.supervisor_id, memberIds: beforeMembers },
        after: {
          name: input.name ?? before.name,
          supervisorId: input.supervisorId === undefined ? before.supervisor_id : input.supervisorId,
          memberIds: input.memberIds ?? beforeMembers
        }
      })
    })
    this.changed(moved)
    return this.toTeam(this.repo.byId(input.id)!, user)
  }

  remove(user: User, id: number): void {
    const members = this.repo.members(id)
    this.repo.transaction(() => {
      const before = this.repo.byId(id)
      if (!before || !this.repo.remove(id, this.deps.clock.now().toISOString())) throw new AppError('NOT_FOUND')
      this.write(user, 'teams.remove', id, { name: before.name, memberIds: members })
    })
    this.changed(members)
  }

  private changed(userIds: number[]): void {
    for (const userId of userIds) this.deps.events.emit('users.changed', { userId })
    this.deps.events.emit('board.changed', { reason: 'teams' })
  }
}
