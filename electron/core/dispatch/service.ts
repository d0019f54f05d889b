import type { Dispatch, DistrictCoverage, Input, Settings, User, Visit } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import type { DomainEvents } from '../domain-events'
import { AppError } from '../errors'
import { dispatchDeadlines, followUpWindow } from './deadlines'
import { localTime } from '../../../shared/domain/calling-time'
import { formatLocal } from '../desk/rules'
import { DispatchRepo, type DispatchRow } from './repo'

const HOUR = 3_600_000

/**
 * 派单: accepted leads (past the QA gate where the campaign has one) go to the field team of the
 * customer's district — or of its direction group where the city is organised so — land with the
 * group leader, are assigned to an agent of that team only (不得跨区营销, whoever asks), visited and
 * reported; visits become follow-up calls (回访). Every step is kept in `dispatch_events`.
 */
export class DispatchService {
  readonly repo: DispatchRepo

  constructor(
    private deps: CoreDeps,
    private bus: DomainEvents,
    private settings: () => Settings
  ) {
    this.repo = new DispatchRepo(deps.db)
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  private event(dispatchId: number, userId: number | null, action: string, details: object): void {
    this.repo.event(dispatchId, this.now().toISOString(), userId, action, details)
  }

  /**
   * The field team a district belongs to: the district itself, its city's direction group, or — for a
   * district given to another district's team (it has no leader or agents of its own) — that team.
   */
  unitOf(districtCode: string | null): string | null {
    if (!districtCode) return null
    const d = this.repo.district(districtCode)
    if (!d) return null
    if (d.covered_by && d.covered_by !== d.code) return this.unitOf(d.covered_by)
    return d.direction && this.settings().dispatch.directionCities.includes(d.city)
      ? `${d.city}:${d.direction}`
      : d.code
  }

  /**
   * Every district with its field team and what it lacks: a district whose team has no leader or no
   * active agent cannot have its successes visited — shown at once, not when the deadline has passed.
   * Of the whole country's districts, those the centre works: its own city's, and any with field
   * staff, visits waiting, or a team covering it or covered by it.
   */
  coverage(): DistrictCoverage[] {
    const staffRows = this.repo.fieldStaff()
    const staff = staffRows.map((s) => ({ role: s.role, unit: this.unitOf(s.district_code) }))
    const waiting = new Map(this.repo.waitingByDistrict().map((w) => [w.district_code, w]))
    const all = this.repo.districts()
    const city = this.settings().area.city
    const staffed = new Set(staffRows.map((s) => s.district_code))
    const covering = new Set(all.map((d) => d.covered_by).filter(Boolean))
    const worked = all.filter(
      (d) => d.city === city || staffed.has(d.code) || waiting.has(d.code) || d.covered_by || covering.has(d.code)
    )
    return worked.map((d) => {
      const unit = this.unitOf(d.code)
      const leaders = staff.filter((s) => s.unit === unit && s.role === 'leader').length
      const agents = staff.filter((s) => s.unit === unit && s.role === 'field_agent').length
      const w = waiting.get(d.code)
      return {
        code: d.code,
        name: d.name,
        coveredBy: d.covered_by,
        coveredByName: d.covered_by_name,
        leaders,
        agents,
        openDispatches: w?.n ?? 0,
        assignDue: w?.assign_due ?? null,
        problem: leaders === 0 ? ('noLeader' as const) : agents === 0 ? ('noAgent' as const) : null
      }
    })
  }

  /** Districts with successes waiting and nobody to visit them. */
  uncovered(): DistrictCoverage[] {
    return this.coverage().filter((d) => d.problem && d.openDispatches > 0)
  }

  /**
   * An administrator gives a district to another district's team (not 跨区营销: the district is
   * formally that team's now) or back to its own; visits still waiting move with it.
   */
  setCover(user: User, code: string, coveredBy: string | null): void {
    this.repo.transaction(() => {
      const d = this.repo.district(code)
      if (!d) throw new AppError('NOT_FOUND')
      if (coveredBy !== null) {
        const c = this.repo.district(coveredBy)
        if (!c) throw new AppError('INVALID_INPUT', 'errors.unknownDistrict', { code: coveredBy })
        if (coveredBy === code || c.covered_by) throw new AppError('INVALID_INPUT', 'errors.coverChain')
      }
      this.repo.setCover(code, coveredBy)
      const moved = this.repo.moveWaiting(code, this.unitOf(code)!)
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'districts.setCover',
        entity: 'district',
        entityId: code,
        details: { before: d.covered_by, after: coveredBy, moved },
        source: 'core'
      })
    })
    this.deps.events.emit('dispatch.changed', { dispatchId: null })
    this.bus.publish('board.touched', { reason: 'districts.setCover' })
  }

  /** A lead's latest success becomes a dispatch, unless it waits at the QA gate or is dispatched already. */
  release(leadId: number): number | null {
    const o = this.repo.latestSuccess(leadId)
    if (!o || (o.qa_gate !== null && o.qa_gate !== 'passed')) return null
    if (this.repo.isDispatched(o.id)) return null
    const unit = this.unitOf(o.district_code)
    if (!unit) return null
    const now = this.now()
    const d = dispatchDeadlines(now, this.settings().dispatch, this.settings().timeZone, this.deps.calendar, {
      visitAt: new Date(o.visit_at)
    })
    const id = this.repo.add({
      leadId,
      outcomeId: o.id,
      callId: o.call_id,
      operatorId: o.operator_id,
      districtCode: o.district_code,
      unit,
      visitAt: o.visit_at,
      packageDay: d.packageDay,
      receiveDue: d.receiveDue.toISOString(),
      assignDue: d.assignDue.toISOString(),
      at: now.toISOString()
    })
    this.event(id, null, 'created', { unit, packageDay: d.packageDay })
    this.deps.events.emit('dispatch.changed', { dispatchId: id })
    this.bus.publish('dispatch.released', { dispatchId: id, leadId, unit })
    return id
  }

  private late(r: Pick<DispatchRow, 'state' | 'assign_due' | 'confirm_due'>, now: string): Dispatch['late'] {
    if (r.state === 'new' && r.assign_due < now) return 'assign'
    if (r.state === 'assigned' && r.confirm_due && r.confirm_due < now) return 'confirm'
    return null
  }

  private toDispatch(r: DispatchRow): Dispatch {
    return {
      id: r.id,
      leadId: r.lead_id,
      customerName: r.customer_name,
      district: r.district,
      districtCode: r.district_code,
      unit: r.unit,
      operatorName: r.operator_name,
      visitAt: r.visit_at,
      state: r.state,
      agentId: r.agent_id,
      agentName: r.agent_name,
      receiveDue: r.receive_due,
      assignDue: r.assign_due,
      confirmDue: r.confirm_due,
      late: this.late(r, this.now().toISOString()),
      productInterest: r.product_interest,
      createdAt: r.created_at,
      recordingId: r.recording_id
    }
  }

  /** A leader's own team, checked for every dispatch they touch. */
  private teamOf(user: User): string | null {
    return user.role === 'leader' ? this.unitOf(user.districtCode ?? null) : null
  }

  private row(user: User, dispatchId: number): DispatchRow {
    const r = this.repo.byId(dispatchId)
    if (!r) throw new AppError('NOT_FOUND')
    if (user.role === 'leader' && r.unit !== this.teamOf(user)) throw new AppError('FORBIDDEN')
    return r
  }

  list(user: User, state: Dispatch['state'] | undefined, limit: number): Dispatch[] {
    const team = this.teamOf(user)
    if (user.role === 'leader' && !team) return []
    return this.repo.list(team, state ?? null, limit).map((r) => this.toDispatch(r))
  }

  /** The agents of a dispatch's own team, with how many open visits each has. */
  agents(user: User, dispatchId: number): { id: number; name: string; open: number }[] {
    const d = this.row(user, dispatchId)
    const candidates = this.repo.agents()
    return candidates
      .filter((a) => this.unitOf(a.district_code) === d.unit)
      .map(({ id, name, open }) => ({ id, name, open }))
  }

  team(user: User): {
    id: number
    name: string
    district: string | null
    open: number
    late: number
    visited: number
    signed: number
  }[] {
    const team = this.teamOf(user)
    if (user.role === 'leader' && !team) return []
    const rows = this.repo.agentFigures(this.now().toISOString())
    return rows
      .filter((r) => team === null || this.unitOf(r.district_code) === team)
      .map(({ district_code: _d, ...r }) => r)
  }

  assign(user: User, dispatchId: number, agentId: number, note?: string): Dispatch {
    this.repo.transaction(() => {
      const d = this.row(user, dispatchId)
      if (d.state !== 'new' && d.state !== 'assigned') throw new AppError('CONFLICT', 'errors.dispatchClosed')
      const agent = this.repo.fieldAgent(agentId)
      if (!agent || agent.disabled) throw new AppError('NOT_FOUND')
      // 不得跨区营销: an agent works their own district (or direction group) only — for every role.
      if (this.unitOf(agent.district_code) !== d.unit) {
        const name = (code: string | null) => (code ? (this.repo.districtName(code) ?? code) : '—')
        throw new AppError('CONFLICT', 'errors.crossDistrict', {
          agent: agent.display_name,
          agentDistrict: name(agent.district_code),
          district: d.district
        })
      }
      if (d.agent_id === agentId) return
      const now = this.now()
      const confirmDue = new Date(
        new Date(d.visit_at).getTime() + this.settings().dispatch.confirmHours * HOUR
      ).toISOString()
      this.repo.assign(d.id, agentId, now.toISOString(), confirmDue)
      // the customer is told the visit and who comes (given to another agent: the same message, with the new name)
      this.bus.publish('visit.scheduled', { dispatchId: d.id, kind: 'visit_booked' })
      this.event(d.id, user.id, d.agent_id === null ? 'assigned' : 'reassigned', {
        agentId,
        from: d.agent_id,
        note: note ?? null
      })
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: d.agent_id === null ? 'dispatch.assign' : 'dispatch.reassign',
        entity: 'dispatch',
        entityId: d.id,
        details: { agentId, from: d.agent_id },
        source: 'core'
      })
    }, 'immediate')
    this.deps.events.emit('dispatch.changed', { dispatchId })
    return this.toDispatch(this.row(user, dispatchId))
  }

  /** May this field agent listen to this call? Only the call of a visit assigned to them. */
  agentMayListen(userId: number, callId: number): boolean {
    return this.repo.agentHasCall(userId, callId)
  }

  myVisits(user: User): Visit[] {
    const today = new Date(this.now().getTime() - 12 * HOUR).toISOString()
    const rows = this.repo.visitsOf(user.id, today)
    // the customer agreed to pass name, number and address (PIPL): those, and nothing else of the card
    return rows.map((r) => ({
      id: r.id,
      customerName: r.name,
      phone: r.phone,
      address: r.address,
      district: r.district,
      visitAt: r.visit_at,
      state: r.state,
      productInterest: r.product_interest,
      recordingId: r.recording_id,
      callId: r.call_id,
      confirmDue: r.confirm_due
    }))
  }

  report(user: User, input: Input<'dispatch.report'>): { ok: true; followUpId: number | null } {
    const now = this.now()
    const iso = now.toISOString()
    const out = this.repo.transaction(() => {
      const d = this.repo.plain(input.dispatchId)
      if (!d || d.agent_id !== user.id) throw new AppError('NOT_FOUND')
      if (d.state !== 'assigned') throw new AppError('CONFLICT', 'errors.dispatchClosed')
      if (input.result === 'rescheduled') {
        if (!input.newVisitAt || input.newVisitAt <= iso)
          throw new AppError('INVALID_INPUT', 'errors.newVisitTimeRequired')
        const confirmDue = new Date(
          new Date(input.newVisitAt).getTime() + this.settings().dispatch.confirmHours * HOUR
        ).toISOString()
        this.repo.reschedule(d.id, input.newVisitAt, confirmDue)
        this.bus.publish('visit.scheduled', { dispatchId: d.id, kind: 'visit_changed' })
        this.event(d.id, user.id, 'rescheduled', {
          from: d.visit_at,
          to: input.newVisitAt,
          notes: input.notes ?? null
        })
        return null
      }
      const tz = this.settings().timeZone
      // A visit is reported once it has happened: not visited, nor signed, before the agreed time.
      if ((input.result === 'visited' || input.result === 'signed') && iso < d.visit_at)
        throw new AppError('INVALID_INPUT', 'errors.reportBeforeVisit', { at: formatLocal(new Date(d.visit_at), tz) })
      if (input.result === 'signed' && !input.policy) throw new AppError('INVALID_INPUT', 'errors.policyRequired')
      const policy = input.result === 'signed' ? input.policy! : null
      if (policy) {
        // the customer received the policy at the visit or after it, and not later than today
        const today = localTime(now, tz).day
        const visitDay = localTime(new Date(d.visit_at), tz).day
        if (policy.receivedOn > today) throw new AppError('INVALID_INPUT', 'errors.receivedInFuture', { today })
        if (policy.receivedOn < visitDay)
          throw new AppError('INVALID_INPUT', 'errors.receivedBeforeVisit', { day: visitDay })
      }
      this.repo.reported(d.id, input.result, policy ? JSON.stringify(policy) : null, input.notes ?? null, iso)
      this.event(d.id, user.id, 'reported', { result: input.result, policyNo: policy?.policyNo ?? null })
      this.repo.leadEvent(d.lead_id, iso, user.id, 'visit', { result: input.result, dispatchId: d.id })
      this.bus.publish('visit.reported', {
        dispatchId: d.id,
        leadId: d.lead_id,
        result: input.result,
        policyNo: policy?.policyNo ?? null
      })
      if (policy) {
        // 保险销售行为可回溯: recordings of a closed sale are kept 5 years (term up to a year) or 10 (settings.retention)
        const long = policy.termYears > 1
        const years = long ? this.settings().retention.signedLongYears : this.settings().retention.signedShortYears
        const until = new Date(iso)
        until.setUTCFullYear(until.getUTCFullYear() + years)
        this.repo.retainRecordings(d.lead_id, long ? 'sale_10y' : 'sale_5y', until.toISOString())
      }
      if (input.result !== 'visited' && input.result !== 'signed') return null
      // A visited customer is called back: a new life policy of more than a year inside its cooling-off period.
      const s = this.settings()
      const w = followUpWindow(
        now,
        s.followUp,
        s.timeZone,
        policy && policy.life && policy.termYears > 1 ? { receivedOn: policy.receivedOn } : null,
        this.deps.calendar
      )
      return this.repo.addFollowUp({
        dispatchId: d.id,
        leadId: d.lead_id,
        kind: w.kind,
        from: w.from.toISOString(),
        due: w.due.toISOString(),
        at: iso
      })
    }, 'immediate')
    this.deps.events.emit('dispatch.changed', { dispatchId: input.dispatchId })
    return { ok: true, followUpId: out }
  }

  // ——— the supervisors' view of the chain ———

  /** What is late now: dispatches not assigned or not reported in time, follow-ups past due. */
  lateCounts(): { assign: number; confirm: number; followUps: number } {
    return this.repo.lateCounts(this.now().toISOString())
  }

  /** 派单跟踪's figures: like every figure, they count successes of real calls only (the simulated line is training). */
  board(from: string, to: string) {
    const chain = this.repo.chain(from, to)
    const districts = this.repo.byDistrict(from, to)
    const agents = this.repo.byAgent(from, to)
    const late = this.lateCounts()
    return {
      chain: {
        successes: chain.successes,
        qaPassed: chain.qa_passed,
        dispatched: chain.dispatched,
        assigned: chain.assigned,
        visited: chain.visited,
        signed: chain.signed,
        followedUp: chain.followed_up
      },
      districts: districts.map(({ hours_to_visit, ...d }) => ({ ...d, hoursToVisit: hours_to_visit })),
      agents,
      late,
      uncovered: this.uncovered()
    }
  }
}
