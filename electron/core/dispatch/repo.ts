import type { Dispatch, FollowUp, Visit } from '../../../shared/contract'
import { Repo } from '../db/repo'

export interface DispatchRow {
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

export interface FollowUpRow {
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
  campaign_id: number
  agent_name: string | null
  district: string
  policy: string | null
  done_by: string | null
  seller_id: number
  attempts: number
  lease_by: number | null
  lease_until: string | null
  held_by: string | null
  second_channel: 'sms' | 'letter' | null
  second_channel_note: string | null
  cancellation: number
}

const DISPATCH_SELECT = `SELECT d.*, l.name AS customer_name, di.name AS district, ou.display_name AS operator_name, au.display_name AS agent_name,
    o.product_interest, (SELECT r.id FROM recordings r WHERE r.call_id = d.call_id) AS recording_id
  FROM dispatches d JOIN leads l ON l.id = d.lead_id JOIN districts di ON di.code = d.district_code JOIN users ou ON ou.id = d.operator_id
  LEFT JOIN users au ON au.id = d.agent_id JOIN outcomes o ON o.id = d.outcome_id`

const FOLLOW_UP_SELECT = `SELECT f.*, l.name AS customer_name, l.phone, l.campaign_id, au.display_name AS agent_name, di.name AS district, d.policy, fu.display_name AS done_by,
    d.operator_id AS seller_id, (SELECT count(*) FROM calls c WHERE c.follow_up_id = f.id) AS attempts, lu.display_name AS held_by
  FROM follow_ups f JOIN dispatches d ON d.id = f.dispatch_id JOIN leads l ON l.id = f.lead_id JOIN districts di ON di.code = d.district_code
  LEFT JOIN users au ON au.id = d.agent_id LEFT JOIN users fu ON fu.id = f.operator_id LEFT JOIN users lu ON lu.id = f.lease_by`

/** Dispatches and their events, field agents' visits, follow-ups (回访), the success package and its mail settings. */
export class DispatchRepo extends Repo {
  // ——— routing ———

  district(
    code: string
  ): { code: string; name: string; city: string; direction: string | null; covered_by: string | null } | undefined {
    return this.one('SELECT code, name, city, direction, covered_by FROM districts WHERE code = ?', code)
  }

  districts(): {
    code: string
    name: string
    city: string
    covered_by: string | null
    covered_by_name: string | null
  }[] {
    return this.all(
      'SELECT d.code, d.name, d.city, d.covered_by, c.name AS covered_by_name FROM districts d LEFT JOIN districts c ON c.code = d.covered_by ORDER BY d.code'
    )
  }

  /** Active leaders and field agents with their district. */
  fieldStaff(): { role: 'leader' | 'field_agent'; district_code: string | null }[] {
    return this.all("SELECT role, district_code FROM users WHERE role IN ('leader', 'field_agent') AND disabled = 0")
  }

  /** Successes waiting for a field agent, per district, with the earliest deadline. */
  waitingByDistrict(): { district_code: string; n: number; assign_due: string }[] {
    return this.all(
      "SELECT district_code, count(*) AS n, min(assign_due) AS assign_due FROM dispatches WHERE state = 'new' GROUP BY district_code"
    )
  }

  setCover(code: string, coveredBy: string | null): void {
    this.run('UPDATE districts SET covered_by = ? WHERE code = ?', coveredBy, code)
  }

  /** A district given to another team: its visits still waiting for an agent go to that team. */
  moveWaiting(districtCode: string, unit: string): number {
    return this.run("UPDATE dispatches SET unit = ? WHERE district_code = ? AND state = 'new'", unit, districtCode)
      .changes
  }

  /** A lead's latest success, with its QA gate. */
  latestSuccess(leadId: number) {
    return this.one<{
      id: number
      call_id: number | null
      operator_id: number
      visit_at: string
      district_code: string
      qa_gate: string | null
    }>(
      `SELECT o.id, o.call_id, o.operator_id, o.visit_at, o.district_code, l.qa_gate FROM outcomes o JOIN leads l ON l.id = o.lead_id
       WHERE o.lead_id = ? AND o.success = 1 ORDER BY o.id DESC LIMIT 1`,
      leadId
    )
  }

  isDispatched(outcomeId: number): boolean {
    return this.one('SELECT 1 FROM dispatches WHERE outcome_id = ?', outcomeId) !== undefined
  }

  add(d: {
    leadId: number
    outcomeId: number
    callId: number | null
    operatorId: number
    districtCode: string
    unit: string
    visitAt: string
    packageDay: string
    receiveDue: string
    assignDue: string
    at: string
  }): number {
    return this.insert(
      `INSERT INTO dispatches (lead_id, outcome_id, call_id, operator_id, district_code, unit, visit_at, package_day, receive_due, assign_due, created_at)
       VALUES (@leadId, @outcomeId, @callId, @operatorId, @districtCode, @unit, @visitAt, @packageDay, @receiveDue, @assignDue, @at)`,
      d
    )
  }

  event(dispatchId: number, at: string, userId: number | null, action: string, details: object): void {
    this.run(
      'INSERT INTO dispatch_events (dispatch_id, at, user_id, action, details) VALUES (?, ?, ?, ?, ?)',
      dispatchId,
      at,
      userId,
      action,
      JSON.stringify(details)
    )
  }

  // ——— dispatches ———

  byId(id: number): DispatchRow | undefined {
    return this.one(`${DISPATCH_SELECT} WHERE d.id = ?`, id)
  }

  list(team: string | null, state: Dispatch['state'] | null, limit: number): DispatchRow[] {
    return this.all(
      `${DISPATCH_SELECT} WHERE (@team IS NULL OR d.unit = @team) AND (@state IS NULL OR d.state = @state)
       ORDER BY d.state = 'new' DESC, d.visit_at LIMIT @limit`,
      { team, state, limit }
    )
  }

  /** Active field agents with their district and open visits, fewest first. */
  agents(): { id: number; name: string; district_code: string | null; open: number }[] {
    return this.all(
      `SELECT u.id, u.display_name AS name, u.district_code, (SELECT count(*) FROM dispatches x WHERE x.agent_id = u.id AND x.state = 'assigned') AS open
       FROM users u WHERE u.role = 'field_agent' AND u.disabled = 0 ORDER BY open, u.display_name`
    )
  }

  /** Every active field agent's open, late, visited and signed visits. */
  agentFigures(now: string) {
    return this.all<{
      id: number
      name: string
      district_code: string | null
      district: string | null
      open: number
      late: number
      visited: number
      signed: number
    }>(
      `SELECT u.id, u.display_name AS name, u.district_code, di.name AS district,
         coalesce(sum(d.state = 'assigned'), 0) AS open, coalesce(sum(d.state = 'assigned' AND d.confirm_due < @now), 0) AS late,
         coalesce(sum(d.state IN ('visited', 'signed')), 0) AS visited, coalesce(sum(d.state = 'signed'), 0) AS signed
       FROM users u LEFT JOIN districts di ON di.code = u.district_code LEFT JOIN dispatches d ON d.agent_id = u.id
       WHERE u.role = 'field_agent' AND u.disabled = 0 GROUP BY u.id ORDER BY u.district_code, u.display_name`,
      { now }
    )
  }

  fieldAgent(
    id: number
  ): { id: number; display_name: string; district_code: string | null; disabled: number } | undefined {
    return this.one(
      "SELECT id, display_name, district_code, disabled FROM users WHERE id = ? AND role = 'field_agent'",
      id
    )
  }

  districtName(code: string): string | undefined {
    return this.value('SELECT name FROM districts WHERE code = ?', code)
  }

  assign(id: number, agentId: number, at: string, confirmDue: string): void {
    this.run(
      "UPDATE dispatches SET agent_id = ?, state = 'assigned', assigned_at = ?, confirm_due = ? WHERE id = ?",
      agentId,
      at,
      confirmDue,
      id
    )
  }

  agentHasCall(agentId: number, callId: number): boolean {
    return this.one('SELECT 1 FROM dispatches WHERE call_id = ? AND agent_id = ?', callId, agentId) !== undefined
  }

  visitsOf(agentId: number, since: string) {
    return this.all<{
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
    }>(
      `SELECT d.id, d.call_id, l.name, l.phone, l.address, di.name AS district, d.visit_at, d.state, o.product_interest, d.confirm_due,
         (SELECT r.id FROM recordings r WHERE r.call_id = d.call_id) AS recording_id
       FROM dispatches d JOIN leads l ON l.id = d.lead_id JOIN districts di ON di.code = d.district_code JOIN outcomes o ON o.id = d.outcome_id
       WHERE d.agent_id = ? AND (d.state = 'assigned' OR d.visit_at >= ?) ORDER BY d.state <> 'assigned', d.visit_at`,
      agentId,
      since
    )
  }

  plain(id: number): DispatchRow | undefined {
    return this.one('SELECT * FROM dispatches WHERE id = ?', id)
  }

  reschedule(id: number, visitAt: string, confirmDue: string): void {
    this.run('UPDATE dispatches SET visit_at = ?, confirm_due = ? WHERE id = ?', visitAt, confirmDue, id)
  }

  reported(id: number, state: string, policy: string | null, notes: string | null, at: string): void {
    this.run(
      'UPDATE dispatches SET state = ?, policy = ?, notes = ?, reported_at = ? WHERE id = ?',
      state,
      policy,
      notes,
      at,
      id
    )
  }

  /** 保险销售行为可回溯: a closed sale's recordings are kept for the retention its term asks. */
  retainRecordings(leadId: number, retention: 'sale_5y' | 'sale_10y', until: string): void {
    this.run(
      'UPDATE recordings SET retention_class = ?, retain_until = ?, store_sync_due = 1 WHERE lead_id = ?',
      retention,
      until,
      leadId
    )
  }

  // ——— follow-ups ———

  addFollowUp(f: { dispatchId: number; leadId: number; kind: string; from: string; due: string; at: string }): number {
    return this.insert(
      'INSERT INTO follow_ups (dispatch_id, lead_id, kind, from_at, due_at, created_at) VALUES (@dispatchId, @leadId, @kind, @from, @due, @at)',
      f
    )
  }

  /** Follow-ups by due time (open) or newest first (done); `notSoldBy`: leave out that operator's own sales. */
  followUps(state: 'open' | 'done', limit: number, notSoldBy: number | null = null): FollowUpRow[] {
    return this.all(
      `${FOLLOW_UP_SELECT} WHERE f.state = ? AND (? IS NULL OR d.operator_id != ?)
       ORDER BY ${state === 'open' ? 'f.due_at' : 'f.done_at DESC'} LIMIT ?`,
      state,
      notSoldBy,
      notSoldBy,
      limit
    )
  }

  /** Takes (or renews) the lease of an open follow-up for this operator; false when someone else holds it. */
  leaseFollowUp(id: number, operatorId: number, now: string, until: string): boolean {
    return (
      this.run(
        `UPDATE follow_ups SET lease_by = @operatorId, lease_until = @until
         WHERE id = @id AND state = 'open' AND (lease_by IS NULL OR lease_by = @operatorId OR lease_until <= @now)`,
        { id, operatorId, now, until }
      ).changes === 1
    )
  }

  /** The follow-up's calls (its attempts), oldest first. */
  followUpCalls(id: number): { id: number; line: string; started_at: string; answered_at: string | null }[] {
    return this.all(
      'SELECT id, line, started_at, answered_at FROM calls WHERE follow_up_id = ? ORDER BY started_at',
      id
    )
  }

  /** A call the customer answered and that was recorded: what a reached 回访 stands on. */
  callRecorded(callId: number): boolean {
    return (
      this.one(
        'SELECT 1 FROM calls c JOIN recordings r ON r.call_id = c.id WHERE c.id = ? AND c.answered_at IS NOT NULL',
        callId
      ) !== undefined
    )
  }

  followUp(id: number): FollowUpRow | undefined {
    return this.one(`${FOLLOW_UP_SELECT} WHERE f.id = ?`, id)
  }

  startFollowUpCall(c: {
    operatorId: number
    leadId: number
    line: string
    at: string
    campaignId: number
    followUpId: number
    shownNumber: string | null
  }) {
    return this.insert(
      `INSERT INTO calls (operator_id, lead_id, direction, line, started_at, campaign_id, follow_up_id, shown_number)
       VALUES (@operatorId, @leadId, 'outbound', @line, @at, @campaignId, @followUpId, @shownNumber)`,
      c
    )
  }

  callLine(callId: number): string | undefined {
    return this.value('SELECT line FROM calls WHERE id = ?', callId)
  }

  isFollowUpCall(callId: number, operatorId: number, followUpId: number): boolean {
    return (
      this.one(
        'SELECT 1 FROM calls WHERE id = ? AND operator_id = ? AND follow_up_id = ?',
        callId,
        operatorId,
        followUpId
      ) !== undefined
    )
  }

  completeFollowUp(f: {
    id: number
    operatorId: number
    callId: number | null
    result: string
    complaint: string | null
    checks: string | null
    notes: string | null
    at: string
    secondChannel: string | null
    secondChannelNote: string | null
    cancellation: boolean
  }): void {
    this.run(
      `UPDATE follow_ups SET state = 'done', operator_id = @operatorId, call_id = @callId, result = @result, complaint = @complaint,
         checks = @checks, notes = @notes, done_at = @at, second_channel = @secondChannel, second_channel_note = @secondChannelNote,
         cancellation = @cancellation, lease_by = NULL, lease_until = NULL WHERE id = @id`,
      { ...f, cancellation: f.cancellation ? 1 : 0 }
    )
  }

  followUpResults(from: string, to: string) {
    return this.all<{
      agent: string
      district: string
      result: string
      complaint: string | null
      n: number
      in_time: number
      cancellations: number
    }>(
      `SELECT coalesce(au.display_name, '—') AS agent, di.name AS district, f.result, f.complaint, count(*) AS n,
         sum(f.done_at <= f.due_at) AS in_time, sum(f.cancellation) AS cancellations
       FROM follow_ups f JOIN dispatches d ON d.id = f.dispatch_id JOIN outcomes o ON o.id = d.outcome_id JOIN districts di ON di.code = d.district_code LEFT JOIN users au ON au.id = d.agent_id
       WHERE f.state = 'done' AND o.simulated = 0 AND f.done_at >= ? AND f.done_at < ? GROUP BY agent, district, f.result, f.complaint ORDER BY district, agent`,
      from,
      to
    )
  }

  // ——— the supervisors' view ———

  lateCounts(now: string): { assign: number; confirm: number; followUps: number } {
    return this.one(
      `SELECT (SELECT count(*) FROM dispatches WHERE state = 'new' AND assign_due < @now) AS assign,
         (SELECT count(*) FROM dispatches WHERE state = 'assigned' AND confirm_due < @now) AS confirm,
         (SELECT count(*) FROM follow_ups WHERE state = 'open' AND due_at < @now) AS followUps`,
      { now }
    )!
  }

  chain(from: string, to: string) {
    return this.one<{
      successes: number
      qa_passed: number
      dispatched: number
      assigned: number
      visited: number
      signed: number
      followed_up: number
    }>(
      `SELECT count(*) AS successes,
         coalesce(sum(l.qa_gate = 'passed'), 0) AS qa_passed,
         coalesce(sum(d.id IS NOT NULL), 0) AS dispatched,
         coalesce(sum(d.agent_id IS NOT NULL), 0) AS assigned,
         coalesce(sum(d.state IN ('visited', 'signed')), 0) AS visited,
         coalesce(sum(d.state = 'signed'), 0) AS signed,
         coalesce(sum((SELECT count(*) FROM follow_ups f WHERE f.dispatch_id = d.id AND f.state = 'done') > 0), 0) AS followed_up
       FROM outcomes o JOIN leads l ON l.id = o.lead_id LEFT JOIN dispatches d ON d.outcome_id = o.id
       WHERE o.success = 1 AND o.simulated = 0 AND o.at >= ? AND o.at < ?`,
      from,
      to
    )!
  }

  byDistrict(from: string, to: string) {
    return this.all<{
      district: string
      dispatched: number
      assigned: number
      visited: number
      signed: number
      hours_to_visit: number | null
    }>(
      `SELECT di.name AS district, count(*) AS dispatched, sum(d.agent_id IS NOT NULL) AS assigned, sum(d.state IN ('visited', 'signed')) AS visited, sum(d.state = 'signed') AS signed,
         round(avg(CASE WHEN d.state IN ('visited', 'signed') THEN (julianday(d.reported_at) - julianday(d.created_at)) * 24 END), 1) AS hours_to_visit
       FROM dispatches d JOIN outcomes o ON o.id = d.outcome_id JOIN districts di ON di.code = d.district_code
       WHERE o.simulated = 0 AND o.at >= ? AND o.at < ? GROUP BY di.code ORDER BY di.code`,
      from,
      to
    )
  }

  byAgent(from: string, to: string) {
    return this.all<{
      agent: string
      district: string
      assigned: number
      visited: number
      signed: number
      satisfied: number
      complaints: number
    }>(
      `SELECT au.display_name AS agent, di.name AS district, count(*) AS assigned, sum(d.state IN ('visited', 'signed')) AS visited, sum(d.state = 'signed') AS signed,
         coalesce(sum((SELECT count(*) FROM follow_ups f WHERE f.dispatch_id = d.id AND f.result = 'satisfied')), 0) AS satisfied,
         coalesce(sum((SELECT count(*) FROM follow_ups f WHERE f.dispatch_id = d.id AND f.result = 'complaint')), 0) AS complaints
       FROM dispatches d JOIN outcomes o ON o.id = d.outcome_id JOIN users au ON au.id = d.agent_id JOIN districts di ON di.code = d.district_code
       WHERE o.simulated = 0 AND o.at >= ? AND o.at < ? GROUP BY au.id ORDER BY di.code, au.display_name`,
      from,
      to
    )
  }
}
