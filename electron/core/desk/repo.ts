import { Repo } from '../db/repo'
import { IS_OPERATORS_LEAD } from '../leads/ownership'
import type { DialableLead } from './rules'

export interface LeadRow extends DialableLead {
  phone_kind: 'mobile' | 'landline'
  name: string | null
  gender: 'M' | 'F' | null
  birth_date: string | null
  stated_age: number | null
  created_at: string
  id_no: string | null
  address: string | null
  district_code: string | null
  employer: string | null
  occupation: string | null
  note: string | null
  owner_id: number | null
  lease_from: string | null
  card: string | null
  phone_province: string | null
  phone_city: string | null
  phone_carrier: string | null
}

/** A lease that ends (expired or released) puts the lead back where it came from; a pool lead goes to the retry index (now), so the fresh scan need not find it again. */
const GIVE_BACK = `status = coalesce(lease_from, 'new'), next_at = CASE WHEN coalesce(lease_from, 'new') = 'new' THEN coalesce(next_at, @now) ELSE next_at END,
  lease_by = NULL, lease_until = NULL, lease_from = NULL, updated_at = @now`

export interface NewOutcome {
  clientId: string
  leadId: number
  callId: number | null
  operatorId: number
  campaignId: number
  disposition: string
  label: string
  success: number
  connected: number
  notes: string | null
  callbackAt: string | null
  visitAt: string | null
  districtCode: string | null
  consent: number
  productInterest: string | null
  simulated: number
  at: string
}

export interface CallRow {
  id: number
  started_at: string
  operator: string
  label: string | null
  notes: string | null
  line: string
  ms: number
  recording_id: number | null
  shown_number: string | null
}

/**
 * The desk's SQL: the dial queue's leases (every claim runs these, so they are prepared once and
 * kept), calls and outcomes, callbacks, the customer card, agent states and the operator's figures.
 */
export class DeskRepo extends Repo {
  // ——— leads and leases ———

  lead(id: number): LeadRow | undefined {
    return this.one('SELECT * FROM leads WHERE id = ?', id)
  }

  /** Ends the leases of desks that went silent; how many. */
  sweepLeases(now: string): number {
    return this.run(`UPDATE leads SET ${GIVE_BACK} WHERE lease_by IS NOT NULL AND lease_until <= @now`, { now }).changes
  }

  /** Leases the lead to an operator if it is still as it was read; false when another seat was first. */
  lease(leadId: number, status: string, userId: number, until: string, now: string): boolean {
    return (
      this.run(
        `UPDATE leads SET lease_from = status, status = 'in_queue', lease_by = @userId, lease_until = @until, updated_at = @now
         WHERE id = @leadId AND status = @status AND lease_by IS NULL`,
        { leadId, status, userId, until, now }
      ).changes === 1
    )
  }

  extendLease(leadId: number, until: string): void {
    this.run('UPDATE leads SET lease_until = ? WHERE id = ?', until, leadId)
  }

  /** Renews the operator's lease; false when they do not hold it. */
  renewLease(leadId: number, userId: number, until: string): boolean {
    return (
      this.run('UPDATE leads SET lease_until = ? WHERE id = ? AND lease_by = ?', until, leadId, userId).changes === 1
    )
  }

  /**
   * A skipped lead goes back where it came from, behind the others: due from `nextAt` (a batch lead
   * now, after the rest of the batch; a pool lead later). A callback keeps the time the customer asked for.
   */
  skip(leadId: number, userId: number, reason: string, now: string, nextAt: string): boolean {
    if (!this.giveBackAfter(leadId, userId, now, nextAt, true)) return false
    this.run('INSERT INTO skips (lead_id, operator_id, reason, at) VALUES (?, ?, ?, ?)', leadId, userId, reason, now)
    return true
  }

  /** The lease ends and the lead goes back where it came from, due from `nextAt` (a callback keeps its time); `undialled`: only if it was not dialled. */
  giveBackAfter(leadId: number, userId: number, now: string, nextAt: string, undialled = false): boolean {
    return (
      this.run(
        `UPDATE leads SET status = coalesce(lease_from, 'new'), next_at = CASE WHEN coalesce(lease_from, 'new') = 'callback' THEN next_at ELSE @nextAt END,
           lease_by = NULL, lease_until = NULL, lease_from = NULL, updated_at = @now
         WHERE id = @id AND lease_by = @user${undialled ? " AND status = 'in_queue'" : ''}`,
        { now, nextAt, id: leadId, user: userId }
      ).changes === 1
    )
  }

  skipsSince(userId: number, since: string): number {
    return this.value<number>('SELECT count(*) FROM skips WHERE operator_id = ? AND at >= ?', userId, since)!
  }

  heldBy(userId: number): LeadRow | undefined {
    return this.one('SELECT * FROM leads WHERE lease_by = ? ORDER BY lease_until DESC LIMIT 1', userId)
  }

  callbackNote(callbackId: number): string | null | undefined {
    return this.value('SELECT note FROM callbacks WHERE id = ?', callbackId)
  }

  pendingCallback(leadId: number): number | undefined {
    return this.value("SELECT id FROM callbacks WHERE lead_id = ? AND state = 'pending'", leadId)
  }

  hasDueCallback(leadId: number, now: string): boolean {
    return (
      this.one("SELECT 1 FROM callbacks WHERE lead_id = ? AND state = 'pending' AND due_at <= ?", leadId, now) !==
      undefined
    )
  }

  // ——— the queue's sources ———

  /** Due callbacks: the operator's own, then open ones of any operator. */
  dueCallbacks(userId: number, now: string, limit: number): (LeadRow & { callback_id: number })[] {
    return this.all(
      `SELECT c.id AS callback_id, l.* FROM callbacks c JOIN leads l ON l.id = c.lead_id
       WHERE c.state = 'pending' AND c.due_at <= ? AND (c.operator_id = ? OR c.operator_id IS NULL)
       ORDER BY c.operator_id IS NULL, c.due_at LIMIT ?`,
      now,
      userId,
      limit
    )
  }

  /**
   * The operator's batch for today: fresh leads first, then retries that are due, oldest due first (a
   * skipped lead is due from its skip, so it comes after the rest). A lead allocated for a later day
   * waits for that day.
   */
  batch(userId: number, now: string, today: string, limit: number): LeadRow[] {
    return this.all(
      `SELECT * FROM leads WHERE owner_id = ? AND status = 'allocated' AND (next_at IS NULL OR next_at <= ?)
         AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.lead_id = leads.id AND a.day > ?)
       ORDER BY next_at IS NOT NULL, next_at, id LIMIT ?`,
      userId,
      now,
      today,
      limit
    )
  }

  /** When the batch's next retry comes due. */
  nextInBatch(userId: number, now: string): string | null {
    return (
      this.value<string | null>(
        "SELECT min(next_at) FROM leads WHERE owner_id = ? AND status = 'allocated' AND next_at > ?",
        userId,
        now
      ) ?? null
    )
  }

  poolRetries(campaignIds: number[], now: string, limit: number): LeadRow[] {
    return this.all(
      `SELECT * FROM leads WHERE next_at <= ? AND status = 'new' AND owner_id IS NULL AND campaign_id IN (${campaignIds.map(() => '?').join(',')})
       ORDER BY next_at LIMIT ?`,
      now,
      ...campaignIds,
      limit
    )
  }

  /** When the first pool retry after now comes due. */
  nextPoolRetry(campaignIds: number[], now: string): string | null {
    return (
      this.value<string | null>(
        `SELECT min(next_at) FROM leads WHERE next_at > ? AND status = 'new' AND owner_id IS NULL AND campaign_id IN (${campaignIds.map(() => '?').join(',')})`,
        now,
        ...campaignIds
      ) ?? null
    )
  }

  /** Fresh pool leads of a campaign above an id (the scan's cursor). */
  poolFresh(campaignId: number, after: number, limit: number): LeadRow[] {
    return this.all(
      "SELECT * FROM leads WHERE id > ? AND status = 'new' AND next_at IS NULL AND owner_id IS NULL AND campaign_id = ? ORDER BY id LIMIT ?",
      after,
      campaignId,
      limit
    )
  }

  /** A pool lead leaves the queue for good. */
  park(leadId: number, status: 'dnc' | 'exhausted', now: string): void {
    this.run("UPDATE leads SET status = ?, updated_at = ? WHERE id = ? AND status = 'new'", status, now, leadId)
  }

  retryAt(leadId: number, at: string): void {
    this.run('UPDATE leads SET next_at = ? WHERE id = ?', at, leadId)
  }

  // ——— calls ———

  /** The caller number a call shows (外显), once picked. */
  showNumber(callId: number, number: string): void {
    this.run('UPDATE calls SET shown_number = ? WHERE id = ?', number, callId)
  }

  startCall(c: {
    operatorId: number
    leadId: number
    line: string
    at: string
    campaignId: number
    scriptId: number | null
    /** The caller number the customer is shown (外显), when the pool picked one. */
    shownNumber?: string | null
  }) {
    return this.insert(
      `INSERT INTO calls (operator_id, lead_id, direction, line, started_at, campaign_id, script_id, shown_number)
       VALUES (@operatorId, @leadId, 'outbound', @line, @at, @campaignId, @scriptId, @shownNumber)`,
      { ...c, shownNumber: c.shownNumber ?? null }
    )
  }

  /** One dial to a number, against its caps across operators and campaigns. */
  countDial(phone: string, leadId: number | null, operatorId: number, callId: number, at: string): void {
    this.run(
      'INSERT INTO dial_attempts (phone, lead_id, operator_id, call_id, at) VALUES (?, ?, ?, ?, ?)',
      phone,
      leadId,
      operatorId,
      callId,
      at
    )
  }

  dialled(leadId: number, at: string, until: string): void {
    this.run(
      "UPDATE leads SET status = 'in_call', attempts = attempts + 1, last_call_at = @at, lease_until = @until, updated_at = @at WHERE id = @leadId",
      { leadId, at, until }
    )
  }

  lastCampaignOf(operatorId: number): number | undefined {
    return this.value(
      'SELECT campaign_id FROM calls WHERE operator_id = ? AND campaign_id IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT 1',
      operatorId
    )
  }

  call(callId: number):
    | {
        id: number
        lead_id: number | null
        operator_id: number
        line: string
        follow_up_id: number | null
        direction: string
      }
    | undefined {
    return this.one('SELECT id, lead_id, operator_id, line, follow_up_id, direction FROM calls WHERE id = ?', callId)
  }

  isOperatorsCall(callId: number, operatorId: number): boolean {
    return this.one('SELECT id FROM calls WHERE id = ? AND operator_id = ?', callId, operatorId) !== undefined
  }

  tick(callId: number, stepId: string, offsetMs: number, at: string): void {
    this.run(
      'INSERT OR IGNORE INTO script_ticks (call_id, step_id, offset_ms, at) VALUES (?, ?, ?, ?)',
      callId,
      stepId,
      offsetMs,
      at
    )
  }

  /**
   * The operator's last call of a lead without an outcome since `since`, when the lead has not moved
   * on (no outcome after the call, no later call, nobody else holds it).
   */
  unfinished(
    operatorId: number,
    since: string
  ): { callId: number; leadId: number; endedAt: string | null } | undefined {
    return this.one(
      `SELECT c.id AS callId, c.lead_id AS leadId, c.ended_at AS endedAt FROM calls c JOIN leads l ON l.id = c.lead_id
       WHERE c.operator_id = @op AND c.started_at >= @since AND c.lead_id IS NOT NULL AND c.follow_up_id IS NULL
         AND (c.direction = 'outbound' OR (c.answered_at IS NOT NULL AND l.status <> 'accepted'))
         AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.call_id = c.id OR (o.lead_id = c.lead_id AND o.at >= c.started_at))
         AND NOT EXISTS (SELECT 1 FROM calls c2 WHERE c2.lead_id = c.lead_id AND c2.id > c.id AND c2.follow_up_id IS NULL)
         AND (l.lease_by IS NULL OR l.lease_by = @op)
       ORDER BY c.id DESC LIMIT 1`,
      { op: operatorId, since }
    )
  }

  // ——— outcomes ———

  outcomeByClientId(clientId: string): { id: number; status: string } | undefined {
    return this.one(
      'SELECT o.id, l.status FROM outcomes o JOIN leads l ON l.id = o.lead_id WHERE o.client_id = ?',
      clientId
    )
  }

  hasOutcome(callId: number): boolean {
    return this.one('SELECT 1 FROM outcomes WHERE call_id = ?', callId) !== undefined
  }

  districtExists(code: string): boolean {
    return this.one('SELECT 1 FROM districts WHERE code = ?', code) !== undefined
  }

  districtName(code: string): string | undefined {
    return this.value('SELECT name FROM districts WHERE code = ?', code)
  }

  addOutcome(o: NewOutcome): number {
    return this.insert(
      `INSERT INTO outcomes (client_id, lead_id, call_id, operator_id, campaign_id, disposition, label, success, connected, notes, callback_at, visit_at, district_code, consent, product_interest, simulated, at)
       VALUES (@clientId, @leadId, @callId, @operatorId, @campaignId, @disposition, @label, @success, @connected, @notes, @callbackAt, @visitAt, @districtCode, @consent, @productInterest, @simulated, @at)`,
      o
    )
  }

  /** Pending callbacks of a lead are answered by its new outcome. */
  closeCallbacks(leadId: number, at: string): void {
    this.run("UPDATE callbacks SET state = 'done', done_at = ? WHERE lead_id = ? AND state = 'pending'", at, leadId)
  }

  addCallback(c: {
    leadId: number
    campaignId: number
    operatorId: number | null
    dueAt: string
    note: string | null
    by: number
    at: string
  }): void {
    this.run(
      `INSERT INTO callbacks (lead_id, campaign_id, operator_id, due_at, note, created_by, created_at)
       VALUES (@leadId, @campaignId, @operatorId, @dueAt, @note, @by, @at)`,
      c
    )
  }

  /** The lead after its outcome: its status, its retry time, its owner, no lease. */
  settleLead(u: {
    leadId: number
    status: string
    nextAt: string | null
    owner: number | null
    outcome: string
    connected: boolean
    district: string | null
    at: string
  }): void {
    this.run(
      `UPDATE leads SET status = @status, next_at = @nextAt, owner_id = @owner, lease_by = NULL, lease_until = NULL, lease_from = NULL,
         last_outcome = @outcome, last_follow_up_at = @at, last_progress_at = CASE WHEN @connected THEN @at ELSE last_progress_at END,
         district_code = coalesce(@district, district_code), updated_at = @at WHERE id = @leadId`,
      { ...u, connected: u.connected ? 1 : 0 }
    )
  }

  // ——— the customer card ———

  callsOfLead(leadId: number): CallRow[] {
    return this.all(
      `SELECT c.id, c.started_at, u.display_name AS operator, o.label, o.notes, c.line, c.shown_number,
         CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL THEN (julianday(c.ended_at) - julianday(c.answered_at)) * 86400000 ELSE 0 END AS ms,
         r.id AS recording_id
       FROM calls c JOIN users u ON u.id = c.operator_id LEFT JOIN outcomes o ON o.call_id = c.id LEFT JOIN recordings r ON r.call_id = c.id
       WHERE c.lead_id = ? ORDER BY c.id DESC LIMIT 50`,
      leadId
    )
  }

  /** The operator's own lead (ownership.ts). */
  isOperatorsLead(leadId: number, operatorId: number): boolean {
    return this.one(IS_OPERATORS_LEAD, { lead: leadId, op: operatorId }) !== undefined
  }

  /** The card's fields that changed; columns come from the service's fixed list, never from input. */
  updateLeadFields(leadId: number, fields: [column: string, value: string | null][], at: string): void {
    this.run(
      `UPDATE leads SET ${fields.map(([c]) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
      ...fields.map(([, v]) => v),
      at,
      leadId
    )
  }

  // ——— agent states and figures ———

  openState(operatorId: number): { id: number; state: string; reason: string | null } | undefined {
    return this.one('SELECT id, state, reason FROM agent_states WHERE operator_id = ? AND ended_at IS NULL', operatorId)
  }

  endState(id: number, at: string): void {
    this.run('UPDATE agent_states SET ended_at = ? WHERE id = ?', at, id)
  }

  addState(operatorId: number, state: string, reason: string | null, at: string): void {
    this.run(
      'INSERT INTO agent_states (operator_id, state, reason, started_at) VALUES (?, ?, ?, ?)',
      operatorId,
      state,
      reason,
      at
    )
  }

  /** The operator's real calls (the simulated line never counts) and outcomes in a period. */
  today(operatorId: number, from: string, to: string, now: string) {
    const calls = this.one<{ calls: number; answered: number; talk: number }>(
      `SELECT count(*) AS calls, count(answered_at) AS answered,
         coalesce(sum(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN (julianday(ended_at) - julianday(answered_at)) * 86400 END), 0) AS talk
       FROM calls WHERE operator_id = ? AND started_at >= ? AND started_at < ? AND line = 'sip'`,
      operatorId,
      from,
      to
    )!
    const o = this.one<{ connected: number; successes: number }>(
      'SELECT coalesce(sum(connected), 0) AS connected, coalesce(sum(success), 0) AS successes FROM outcomes WHERE operator_id = ? AND at >= ? AND at < ? AND simulated = 0',
      operatorId,
      from,
      to
    )!
    const due = this.value<number>(
      "SELECT count(*) FROM callbacks WHERE operator_id = ? AND state = 'pending' AND due_at <= ?",
      operatorId,
      now
    )!
    return { ...calls, ...o, due }
  }

  callbacksOf(operatorId: number) {
    return this.all<{
      id: number
      lead_id: number
      name: string | null
      phone: string
      due_at: string
      open: number
      note: string | null
    }>(
      `SELECT c.id, c.lead_id, l.name, l.phone, c.due_at, c.operator_id IS NULL AS open, c.note FROM callbacks c JOIN leads l ON l.id = c.lead_id
       WHERE c.state = 'pending' AND (c.operator_id = ? OR c.operator_id IS NULL) ORDER BY c.due_at LIMIT 500`,
      operatorId
    )
  }

  /** Callbacks past due and not made: of the operators in scope (null: all), and the open ones nobody holds. */
  missedCallbacks(before: string, teams: number[] | null) {
    return this.all<{
      id: number
      lead_id: number
      name: string | null
      phone: string
      due_at: string
      operator: string | null
    }>(
      `SELECT c.id, c.lead_id, l.name, l.phone, c.due_at, u.display_name AS operator FROM callbacks c JOIN leads l ON l.id = c.lead_id LEFT JOIN users u ON u.id = c.operator_id
       WHERE c.state = 'pending' AND c.due_at < @before AND (c.operator_id IS NULL OR (@teams IS NULL OR u.team_id IN (SELECT value FROM json_each(@teams))))
       ORDER BY c.due_at LIMIT 1000`,
      { before, teams: teams && JSON.stringify(teams) }
    )
  }

  board() {
    return this.all<{
      id: number
      display_name: string
      state: string | null
      reason: string | null
      started_at: string | null
    }>(
      `SELECT u.id, u.display_name, s.state, s.reason, s.started_at FROM users u
       LEFT JOIN agent_states s ON s.operator_id = u.id AND s.ended_at IS NULL
       WHERE u.role = 'operator' AND u.disabled = 0 ORDER BY u.display_name`
    )
  }

  // ——— the dial rules' look-ups ———

  dialsSince(phone: string, since: string): number {
    return this.value<number>('SELECT count(*) FROM dial_attempts WHERE phone = ? AND at > ?', phone, since)!
  }

  /** When the n-th (from 0) dial to a number after `since` was made. */
  nthDialSince(phone: string, since: string, n: number): string | undefined {
    return this.value(
      'SELECT at FROM dial_attempts WHERE phone = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?',
      phone,
      since,
      n
    )
  }
}
