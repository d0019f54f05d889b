import type Database from 'better-sqlite3'
import {
  SEVEN_POINTS,
  type Dispatch,
  type FollowUp,
  type Input,
  type Locale,
  type Policy,
  type Settings,
  type User,
  type Visit
} from '../../../shared/contract'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { phoneFor } from '../privacy'
import type { DeskService } from '../desk/service'
import { dispatchDeadlines, followUpWindow } from './deadlines'
import { buildSuccessPackage, mailSuccessPackage, type SmtpStore } from './package'
import type { RecordingFiles } from '../recordings/store'
import { rmSync } from 'node:fs'
import { atLocal, hhmmToMinutes, localTime } from '../../../shared/domain/calling-time'

const HOUR = 3_600_000

interface DispatchRow {
  id: number
  lead_id: number
  outcome_id: number
  call_id: number | null
  operator_id: number
  district_code: string
  unit: string
  visit_at: string
  state: Dispatch['state']
  agent_id: number | null
  package_day: string
  receive_due: string
  assign_due: string
  confirm_due: string | null
  policy: string | null
  created_at: string
  customer_name: string
  district: string
  operator_name: string
  agent_name: string | null
  product_interest: string | null
  recording_id: number | null
}

const DISPATCH_SELECT = `SELECT d.*, l.name AS customer_name, di.name AS district, ou.display_name AS operator_name, au.display_name AS agent_name,
    o.product_interest, (SELECT r.id FROM recordings r WHERE r.call_id = d.call_id) AS recording_id
  FROM dispatches d JOIN leads l ON l.id = d.lead_id JOIN districts di ON di.code = d.district_code JOIN users ou ON ou.id = d.operator_id
  LEFT JOIN users au ON au.id = d.agent_id JOIN outcomes o ON o.id = d.outcome_id`

interface FollowUpRow {
  id: number
  dispatch_id: number
  lead_id: number
  kind: FollowUp['kind']
  from_at: string
  due_at: string
  state: FollowUp['state']
  result: FollowUp['result']
  complaint: FollowUp['complaint']
  checks: string | null
  notes: string | null
  done_at: string | null
  customer_name: string
  phone: string
  agent_name: string | null
  district: string
  policy: string | null
  done_by: string | null
}

/**
 * 派单: accepted leads (past the QA gate where the campaign has one) go to the field team of the
 * customer's district — or of its direction group where the city is organised so — land with the
 * group leader, are assigned to an agent of that team only (不得跨区营销, whoever asks), visited and
 * reported; visits become follow-up calls (回访). Every step is kept in `dispatch_events`.
 */
export class DispatchService {
  private db: Database.Database

  /** The day's daily report (reports), attached to the success package's e-mail. */
  dailyReport: ((day: string, locale: Locale) => Promise<{ file: string; fileName: string }>) | null = null

  constructor(
    private deps: CoreDeps,
    private settings: () => Settings,
    private desk: DeskService,
    private smtp: SmtpStore,
    private files: RecordingFiles
  ) {
    this.db = deps.db
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  private event(dispatchId: number, userId: number | null, action: string, details: object): void {
    this.db
      .prepare('INSERT INTO dispatch_events (dispatch_id, at, user_id, action, details) VALUES (?, ?, ?, ?, ?)')
      .run(dispatchId, this.now().toISOString(), userId, action, JSON.stringify(details))
  }

  /** The team a district belongs to: the district itself, or its city's direction group. */
  unitOf(districtCode: string | null): string | null {
    if (!districtCode) return null
    const d = this.db.prepare('SELECT code, city, direction FROM districts WHERE code = ?').get(districtCode) as
      { code: string; city: string; direction: string | null } | undefined
    if (!d) return null
    return d.direction && this.settings().dispatch.directionCities.includes(d.city)
      ? `${d.city}:${d.direction}`
      : d.code
  }

  /** A lead's latest success becomes a dispatch, unless it waits at the QA gate or is dispatched already. */
  release(leadId: number): number | null {
    const o = this.db
      .prepare(
        `SELECT o.id, o.call_id, o.operator_id, o.visit_at, o.district_code, l.qa_gate FROM outcomes o JOIN leads l ON l.id = o.lead_id
         WHERE o.lead_id = ? AND o.success = 1 ORDER BY o.id DESC LIMIT 1`
      )
      .get(leadId) as
      | {
          id: number
          call_id: number | null
          operator_id: number
          visit_at: string
          district_code: string
          qa_gate: string | null
        }
      | undefined
    if (!o || (o.qa_gate !== null && o.qa_gate !== 'passed')) return null
    if (this.db.prepare('SELECT 1 FROM dispatches WHERE outcome_id = ?').get(o.id)) return null
    const unit = this.unitOf(o.district_code)
    if (!unit) return null
    const now = this.now()
    const d = dispatchDeadlines(now, this.settings().dispatch, this.settings().timeZone)
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO dispatches (lead_id, outcome_id, call_id, operator_id, district_code, unit, visit_at, package_day, receive_due, assign_due, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          leadId,
          o.id,
          o.call_id,
          o.operator_id,
          o.district_code,
          unit,
          o.visit_at,
          d.packageDay,
          d.receiveDue.toISOString(),
          d.assignDue.toISOString(),
          now.toISOString()
        ).lastInsertRowid
    )
    this.event(id, null, 'created', { unit, packageDay: d.packageDay })
    this.deps.events.emit('dispatch.changed', { dispatchId: id })
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
    const r = this.db.prepare(`${DISPATCH_SELECT} WHERE d.id = ?`).get(dispatchId) as DispatchRow | undefined
    if (!r) throw new AppError('NOT_FOUND')
    if (user.role === 'leader' && r.unit !== this.teamOf(user)) throw new AppError('FORBIDDEN')
    return r
  }

  list(user: User, state: Dispatch['state'] | undefined, limit: number): Dispatch[] {
    const team = this.teamOf(user)
    if (user.role === 'leader' && !team) return []
    const rows = this.db
      .prepare(
        `${DISPATCH_SELECT} WHERE (@team IS NULL OR d.unit = @team) AND (@state IS NULL OR d.state = @state) ORDER BY d.state = 'new' DESC, d.visit_at LIMIT @limit`
      )
      .all({ team, state: state ?? null, limit }) as DispatchRow[]
    return rows.map((r) => this.toDispatch(r))
  }

  /** The agents of a dispatch's own team, with how many open visits each has. */
  agents(user: User, dispatchId: number): { id: number; name: string; open: number }[] {
    const d = this.row(user, dispatchId)
    const candidates = this.db
      .prepare(
        `SELECT u.id, u.display_name AS name, u.district_code, (SELECT count(*) FROM dispatches x WHERE x.agent_id = u.id AND x.state = 'assigned') AS open
         FROM users u WHERE u.role = 'field_agent' AND u.disabled = 0 ORDER BY open, u.display_name`
      )
      .all() as { id: number; name: string; district_code: string | null; open: number }[]
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
    const rows = this.db
      .prepare(
        `SELECT u.id, u.display_name AS name, u.district_code, di.name AS district,
           coalesce(sum(d.state = 'assigned'), 0) AS open, coalesce(sum(d.state = 'assigned' AND d.confirm_due < @now), 0) AS late,
           coalesce(sum(d.state IN ('visited', 'signed')), 0) AS visited, coalesce(sum(d.state = 'signed'), 0) AS signed
         FROM users u LEFT JOIN districts di ON di.code = u.district_code LEFT JOIN dispatches d ON d.agent_id = u.id
         WHERE u.role = 'field_agent' AND u.disabled = 0 GROUP BY u.id ORDER BY u.district_code, u.display_name`
      )
      .all({ now: this.now().toISOString() }) as {
      id: number
      name: string
      district_code: string | null
      district: string | null
      open: number
      late: number
      visited: number
      signed: number
    }[]
    return rows
      .filter((r) => team === null || this.unitOf(r.district_code) === team)
      .map(({ district_code: _d, ...r }) => r)
  }

  assign(user: User, dispatchId: number, agentId: number, note?: string): Dispatch {
    this.db
      .transaction(() => {
        const d = this.row(user, dispatchId)
        if (d.state !== 'new' && d.state !== 'assigned') throw new AppError('CONFLICT', 'errors.dispatchClosed')
        const agent = this.db
          .prepare("SELECT id, display_name, district_code, disabled FROM users WHERE id = ? AND role = 'field_agent'")
          .get(agentId) as
          { id: number; display_name: string; district_code: string | null; disabled: number } | undefined
        if (!agent || agent.disabled) throw new AppError('NOT_FOUND')
        // 不得跨区营销: an agent works their own district (or direction group) only — for every role.
        if (this.unitOf(agent.district_code) !== d.unit) {
          const name = (code: string | null) =>
            code
              ? ((this.db.prepare('SELECT name FROM districts WHERE code = ?').pluck().get(code) as
                  string | undefined) ?? code)
              : '—'
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
        this.db
          .prepare(
            "UPDATE dispatches SET agent_id = ?, state = 'assigned', assigned_at = ?, confirm_due = ? WHERE id = ?"
          )
          .run(agentId, now.toISOString(), confirmDue, d.id)
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
      })
      .immediate()
    this.deps.events.emit('dispatch.changed', { dispatchId })
    return this.toDispatch(this.row(user, dispatchId))
  }

  /** May this field agent listen to this call? Only the call of a visit assigned to them. */
  agentMayListen(userId: number, callId: number): boolean {
    return (
      this.db.prepare('SELECT 1 FROM dispatches WHERE call_id = ? AND agent_id = ?').get(callId, userId) !== undefined
    )
  }

  myVisits(user: User): Visit[] {
    const today = new Date(this.now().getTime() - 12 * HOUR).toISOString()
    const rows = this.db
      .prepare(
        `SELECT d.id, d.call_id, l.name, l.phone, l.address, di.name AS district, d.visit_at, d.state, o.product_interest, d.confirm_due,
           (SELECT r.id FROM recordings r WHERE r.call_id = d.call_id) AS recording_id
         FROM dispatches d JOIN leads l ON l.id = d.lead_id JOIN districts di ON di.code = d.district_code JOIN outcomes o ON o.id = d.outcome_id
         WHERE d.agent_id = ? AND (d.state = 'assigned' OR d.visit_at >= ?) ORDER BY d.state <> 'assigned', d.visit_at`
      )
      .all(user.id, today) as {
      id: number
      call_id: number | null
      name: string
      phone: string
      address: string | null
      district: string
      visit_at: string
      state: Visit['state']
      product_interest: string | null
      confirm_due: string | null
      recording_id: number | null
    }[]
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
    const out = this.db
      .transaction(() => {
        const d = this.db.prepare('SELECT * FROM dispatches WHERE id = ?').get(input.dispatchId) as
          DispatchRow | undefined
        if (!d || d.agent_id !== user.id) throw new AppError('NOT_FOUND')
        if (d.state !== 'assigned') throw new AppError('CONFLICT', 'errors.dispatchClosed')
        if (input.result === 'rescheduled') {
          if (!input.newVisitAt || input.newVisitAt <= iso)
            throw new AppError('INVALID_INPUT', 'errors.newVisitTimeRequired')
          const confirmDue = new Date(
            new Date(input.newVisitAt).getTime() + this.settings().dispatch.confirmHours * HOUR
          ).toISOString()
          this.db
            .prepare('UPDATE dispatches SET visit_at = ?, confirm_due = ? WHERE id = ?')
            .run(input.newVisitAt, confirmDue, d.id)
          this.event(d.id, user.id, 'rescheduled', {
            from: d.visit_at,
            to: input.newVisitAt,
            notes: input.notes ?? null
          })
          return null
        }
        if (input.result === 'signed' && !input.policy) throw new AppError('INVALID_INPUT', 'errors.policyRequired')
        const policy = input.result === 'signed' ? input.policy! : null
        this.db
          .prepare('UPDATE dispatches SET state = ?, policy = ?, notes = ?, reported_at = ? WHERE id = ?')
          .run(input.result, policy ? JSON.stringify(policy) : null, input.notes ?? null, iso, d.id)
        this.event(d.id, user.id, 'reported', { result: input.result, policyNo: policy?.policyNo ?? null })
        this.db
          .prepare('INSERT INTO lead_events (lead_id, at, user_id, kind, details) VALUES (?, ?, ?, ?, ?)')
          .run(d.lead_id, iso, user.id, 'visit', JSON.stringify({ result: input.result, dispatchId: d.id }))
        if (policy) {
          // 保险销售行为可回溯: recordings of a closed sale are kept 5 years (term up to a year) or 10.
          this.db
            .prepare('UPDATE recordings SET retention_class = ? WHERE lead_id = ?')
            .run(policy.termYears > 1 ? 'sale_10y' : 'sale_5y', d.lead_id)
        }
        if (input.result !== 'visited' && input.result !== 'signed') return null
        // A visited customer is called back: a new life policy of more than a year inside its cooling-off period.
        const s = this.settings()
        const w = followUpWindow(
          now,
          s.followUp,
          s.timeZone,
          policy && policy.life && policy.termYears > 1 ? { receivedOn: policy.receivedOn } : null
        )
        return Number(
          this.db
            .prepare(
              'INSERT INTO follow_ups (dispatch_id, lead_id, kind, from_at, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?)'
            )
            .run(d.id, d.lead_id, w.kind, w.from.toISOString(), w.due.toISOString(), iso).lastInsertRowid
        )
      })
      .immediate()
    this.deps.events.emit('dispatch.changed', { dispatchId: input.dispatchId })
    return { ok: true, followUpId: out }
  }

  // ——— follow-ups (回访) ———

  private followUpRows(where: string, params: unknown[]): FollowUpRow[] {
    return this.db
      .prepare(
        `SELECT f.*, l.name AS customer_name, l.phone, au.display_name AS agent_name, di.name AS district, d.policy, fu.display_name AS done_by
         FROM follow_ups f JOIN dispatches d ON d.id = f.dispatch_id JOIN leads l ON l.id = f.lead_id JOIN districts di ON di.code = d.district_code
         LEFT JOIN users au ON au.id = d.agent_id LEFT JOIN users fu ON fu.id = f.operator_id ${where}`
      )
      .all(...params) as FollowUpRow[]
  }

  private toFollowUp(r: FollowUpRow, user: User): FollowUp {
    return {
      id: r.id,
      dispatchId: r.dispatch_id,
      leadId: r.lead_id,
      customerName: r.customer_name,
      phone: phoneFor(r.phone, user.role, this.settings()),
      agentName: r.agent_name,
      district: r.district,
      kind: r.kind,
      from: r.from_at,
      dueAt: r.due_at,
      overdue: r.state === 'open' && r.due_at < this.now().toISOString(),
      state: r.state,
      policy: r.policy ? (JSON.parse(r.policy) as Policy) : null,
      result: r.result,
      complaint: r.complaint,
      checks: r.checks ? (JSON.parse(r.checks) as Record<string, 'yes' | 'no'>) : null,
      notes: r.notes,
      doneBy: r.done_by,
      doneAt: r.done_at
    }
  }

  followUps(user: User, state: 'open' | 'done', limit: number): FollowUp[] {
    const rows = this.followUpRows(
      `WHERE f.state = ? ORDER BY ${state === 'open' ? 'f.due_at' : 'f.done_at DESC'} LIMIT ?`,
      [state, limit]
    )
    return rows.map((r) => this.toFollowUp(r, user))
  }

  /** The softphone calls the customer of a follow-up: a service call, inside the legal hours. */
  dialFollowUp(
    user: User,
    followUpId: number,
    line: 'sip' | 'simulated'
  ): { callId: number; number: string; recordingNotice: boolean } {
    const f = this.db
      .prepare(
        "SELECT f.id, f.lead_id, l.phone, l.campaign_id FROM follow_ups f JOIN leads l ON l.id = f.lead_id WHERE f.id = ? AND f.state = 'open'"
      )
      .get(followUpId) as { id: number; lead_id: number; phone: string; campaign_id: number } | undefined
    if (!f) throw new AppError('NOT_FOUND')
    const now = this.now()
    if (line === 'sip') {
      const block = this.desk.rules.legalBlock(now)
      if (block) this.desk.rules.refuse(block)
    }
    const callId = Number(
      this.db
        .prepare(
          "INSERT INTO calls (operator_id, lead_id, direction, line, started_at, campaign_id, follow_up_id) VALUES (?, ?, 'outbound', ?, ?, ?, ?)"
        )
        .run(user.id, f.lead_id, line, now.toISOString(), f.campaign_id, f.id).lastInsertRowid
    )
    return { callId, number: f.phone, recordingNotice: true }
  }

  completeFollowUp(user: User, input: Input<'followUps.complete'>): FollowUp {
    const iso = this.now().toISOString()
    this.db
      .transaction(() => {
        const f = this.db.prepare('SELECT id, kind, state FROM follow_ups WHERE id = ?').get(input.followUpId) as
          { id: number; kind: FollowUp['kind']; state: string } | undefined
        if (!f) throw new AppError('NOT_FOUND')
        if (f.state !== 'open') throw new AppError('CONFLICT', 'errors.followUpDone')
        if (input.result === 'complaint' && !input.complaint)
          throw new AppError('INVALID_INPUT', 'errors.complaintCategoryRequired')
        // the seven-point check of a cooling-off follow-up: every point answered when the customer was reached
        if (f.kind === 'cooling_off' && input.result !== 'unreachable') {
          const missing = SEVEN_POINTS.filter((p) => !input.checks?.[p])
          if (missing.length)
            throw new AppError('INVALID_INPUT', 'errors.sevenPointsIncomplete', { count: missing.length })
        }
        if (
          input.callId !== undefined &&
          !this.db
            .prepare('SELECT 1 FROM calls WHERE id = ? AND operator_id = ? AND follow_up_id = ?')
            .get(input.callId, user.id, f.id)
        )
          throw new AppError('NOT_FOUND')
        this.db
          .prepare(
            "UPDATE follow_ups SET state = 'done', operator_id = ?, call_id = ?, result = ?, complaint = ?, checks = ?, notes = ?, done_at = ? WHERE id = ?"
          )
          .run(
            user.id,
            input.callId ?? null,
            input.result,
            input.result === 'complaint' ? input.complaint! : null,
            input.checks ? JSON.stringify(input.checks) : null,
            input.notes ?? null,
            iso,
            f.id
          )
      })
      .immediate()
    this.deps.events.emit('dispatch.changed', { dispatchId: null })
    return this.toFollowUp(this.followUpRows('WHERE f.id = ?', [input.followUpId])[0], user)
  }

  followUpReport(from: string, to: string) {
    const rows = this.db
      .prepare(
        `SELECT coalesce(au.display_name, '—') AS agent, di.name AS district, f.result, f.complaint, count(*) AS n
         FROM follow_ups f JOIN dispatches d ON d.id = f.dispatch_id JOIN outcomes o ON o.id = d.outcome_id JOIN districts di ON di.code = d.district_code LEFT JOIN users au ON au.id = d.agent_id
         WHERE f.state = 'done' AND o.simulated = 0 AND f.done_at >= ? AND f.done_at < ? GROUP BY agent, district, f.result, f.complaint ORDER BY district, agent`
      )
      .all(from, to) as { agent: string; district: string; result: string; complaint: string | null; n: number }[]
    const by = new Map<
      string,
      {
        agent: string
        district: string
        done: number
        satisfied: number
        complaints: Record<string, number>
        unreachable: number
      }
    >()
    for (const r of rows) {
      const k = `${r.district}|${r.agent}`
      const e = by.get(k) ?? {
        agent: r.agent,
        district: r.district,
        done: 0,
        satisfied: 0,
        complaints: {},
        unreachable: 0
      }
      e.done += r.n
      if (r.result === 'satisfied') e.satisfied += r.n
      if (r.result === 'unreachable') e.unreachable += r.n
      if (r.result === 'complaint')
        e.complaints[r.complaint ?? 'other'] = (e.complaints[r.complaint ?? 'other'] ?? 0) + r.n
      by.set(k, e)
    }
    return [...by.values()]
  }

  // ——— the supervisors' view of the chain ———

  /** What is late now: dispatches not assigned or not reported in time, follow-ups past due. */
  lateCounts(): { assign: number; confirm: number; followUps: number } {
    return this.db
      .prepare(
        `SELECT (SELECT count(*) FROM dispatches WHERE state = 'new' AND assign_due < @now) AS assign,
           (SELECT count(*) FROM dispatches WHERE state = 'assigned' AND confirm_due < @now) AS confirm,
           (SELECT count(*) FROM follow_ups WHERE state = 'open' AND due_at < @now) AS followUps`
      )
      .get({ now: this.now().toISOString() }) as { assign: number; confirm: number; followUps: number }
  }

  /** 派单跟踪's figures: like every figure, they count successes of real calls only (the simulated line is training). */
  board(from: string, to: string) {
    const chain = this.db
      .prepare(
        `SELECT count(*) AS successes,
           coalesce(sum(l.qa_gate = 'passed'), 0) AS qa_passed,
           coalesce(sum(d.id IS NOT NULL), 0) AS dispatched,
           coalesce(sum(d.agent_id IS NOT NULL), 0) AS assigned,
           coalesce(sum(d.state IN ('visited', 'signed')), 0) AS visited,
           coalesce(sum(d.state = 'signed'), 0) AS signed,
           coalesce(sum((SELECT count(*) FROM follow_ups f WHERE f.dispatch_id = d.id AND f.state = 'done') > 0), 0) AS followed_up
         FROM outcomes o JOIN leads l ON l.id = o.lead_id LEFT JOIN dispatches d ON d.outcome_id = o.id
         WHERE o.success = 1 AND o.simulated = 0 AND o.at >= ? AND o.at < ?`
      )
      .get(from, to) as {
      successes: number
      qa_passed: number
      dispatched: number
      assigned: number
      visited: number
      signed: number
      followed_up: number
    }
    const districts = this.db
      .prepare(
        `SELECT di.name AS district, count(*) AS dispatched, sum(d.agent_id IS NOT NULL) AS assigned, sum(d.state IN ('visited', 'signed')) AS visited, sum(d.state = 'signed') AS signed,
           round(avg(CASE WHEN d.state IN ('visited', 'signed') THEN (julianday(d.reported_at) - julianday(d.created_at)) * 24 END), 1) AS hours_to_visit
         FROM dispatches d JOIN outcomes o ON o.id = d.outcome_id JOIN districts di ON di.code = d.district_code
         WHERE o.simulated = 0 AND o.at >= ? AND o.at < ? GROUP BY di.code ORDER BY di.code`
      )
      .all(from, to) as {
      district: string
      dispatched: number
      assigned: number
      visited: number
      signed: number
      hours_to_visit: number | null
    }[]
    const agents = this.db
      .prepare(
        `SELECT au.display_name AS agent, di.name AS district, count(*) AS assigned, sum(d.state IN ('visited', 'signed')) AS visited, sum(d.state = 'signed') AS signed,
           coalesce(sum((SELECT count(*) FROM follow_ups f WHERE f.dispatch_id = d.id AND f.result = 'satisfied')), 0) AS satisfied,
           coalesce(sum((SELECT count(*) FROM follow_ups f WHERE f.dispatch_id = d.id AND f.result = 'complaint')), 0) AS complaints
         FROM dispatches d JOIN outcomes o ON o.id = d.outcome_id JOIN users au ON au.id = d.agent_id JOIN districts di ON di.code = d.district_code
         WHERE o.simulated = 0 AND o.at >= ? AND o.at < ? GROUP BY au.id ORDER BY di.code, au.display_name`
      )
      .all(from, to) as {
      agent: string
      district: string
      assigned: number
      visited: number
      signed: number
      satisfied: number
      complaints: number
    }[]
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
      late
    }
  }

  // ——— the success package ———

  /** Builds the day's package and e-mails it; remembers that it went (or why it did not). */
  async sendPackage(day: string, locale: Locale): Promise<{ sentTo: string[]; successes: number }> {
    const pkg = await buildSuccessPackage(this.deps, this.files, day, locale)
    const at = this.now().toISOString()
    try {
      const report = this.dailyReport ? await this.dailyReport(day, locale) : null
      const sentTo = await mailSuccessPackage(this.smtp, pkg, day, locale, report)
      this.db
        .prepare(
          `INSERT INTO success_packages (day, successes, sent_to, sent_at, error, tried_at) VALUES (?, ?, ?, ?, NULL, ?)
           ON CONFLICT (day) DO UPDATE SET successes = excluded.successes, sent_to = excluded.sent_to, sent_at = excluded.sent_at, error = NULL, tried_at = excluded.tried_at`
        )
        .run(day, pkg.successes, JSON.stringify(sentTo), at, at)
      return { sentTo, successes: pkg.successes }
    } catch (err) {
      this.db
        .prepare(
          'INSERT INTO success_packages (day, successes, error, tried_at) VALUES (?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET error = excluded.error, tried_at = excluded.tried_at'
        )
        .run(day, pkg.successes, err instanceof Error ? err.message : String(err), at)
      throw err
    } finally {
      rmSync(pkg.file, { force: true })
    }
  }

  /**
   * The schedule (every minute): on a working day at `receiveBy`, the day's package goes by e-mail
   * once, when the organisation asked for it (after a failure, again a quarter of an hour later).
   * Returns the day sent, if any.
   */
  async tick(): Promise<string | null> {
    const s = this.settings()
    if (!s.dispatch.packageEmail) return null
    const now = this.now()
    const l = localTime(now, s.timeZone)
    if (
      !s.dispatch.workdays.includes(l.weekday) ||
      now < atLocal(l.day, hhmmToMinutes(s.dispatch.receiveBy), s.timeZone)
    )
      return null
    // sent already, or failed less than a quarter of an hour ago (the mail server is down: try again later)
    const retryAfter = new Date(now.getTime() - 15 * 60_000).toISOString()
    if (
      this.db
        .prepare('SELECT 1 FROM success_packages WHERE day = ? AND (sent_at IS NOT NULL OR tried_at > ?)')
        .get(l.day, retryAfter)
    )
      return null
    await this.sendPackage(l.day, s.defaultLocale)
    return l.day
  }
}
