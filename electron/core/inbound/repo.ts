import { Repo } from '../db/repo'

export interface InboundLead {
  id: number
  campaign_id: number
  status: string
  owner_id: number | null
  lease_by: number | null
  lease_until: string | null
}

export interface RoutedCall {
  id: number
  operator_id: number
  lead_id: number | null
  campaign_id: number
  direction: string
  answered_at: string | null
  ended_at: string | null
  started_at: string
}

/** 回拨路由: what the return-call routing reads and writes. */
export class InboundRepo extends Repo {
  leadByPhone(phone: string): InboundLead | undefined {
    return this.one('SELECT id, campaign_id, status, owner_id, lease_by, lease_until FROM leads WHERE phone = ?', phone)
  }

  /**
   * Whose customer this is: the owner (私海), else the operator of its latest daily batch, else
   * whoever booked its pending callback, else the operator who called it last.
   */
  ownerOf(leadId: number): number | null {
    return (
      this.value<number>(
        `SELECT coalesce(
           (SELECT owner_id FROM leads WHERE id = @id),
           (SELECT operator_id FROM allocations WHERE lead_id = @id ORDER BY day DESC, id DESC LIMIT 1),
           (SELECT operator_id FROM callbacks WHERE lead_id = @id AND state = 'pending' AND operator_id IS NOT NULL ORDER BY id DESC LIMIT 1),
           (SELECT operator_id FROM calls WHERE lead_id = @id AND line = 'sip' ORDER BY id DESC LIMIT 1))`,
        { id: leadId }
      ) ?? null
    )
  }

  teamOf(userId: number): number | null {
    return this.value<number>('SELECT team_id FROM users WHERE id = ?', userId) ?? null
  }

  /** Operators (active) of a team. */
  teamOperators(teamId: number): number[] {
    return this.column<number>(
      "SELECT id FROM users WHERE team_id = ? AND role = 'operator' AND disabled = 0 ORDER BY id",
      teamId
    )
  }

  /** Operators who worked this campaign in the last days (real calls), the most recent first. */
  campaignOperators(campaignId: number, since: string): number[] {
    return this.column<number>(
      `SELECT c.operator_id FROM calls c WHERE c.campaign_id = ? AND c.started_at >= ? AND c.line = 'sip'
       GROUP BY c.operator_id ORDER BY max(c.started_at) DESC`,
      campaignId,
      since
    )
  }

  sipUserOf(userId: number): string | null {
    return this.value<string>('SELECT sip_user FROM sip_accounts WHERE user_id = ?', userId) ?? null
  }

  /** A seat's SIP account (the PBX asks for a seat's own calls too: they are not customers'). */
  isSeat(sipUser: string): boolean {
    return this.value('SELECT 1 FROM sip_accounts WHERE sip_user = ?', sipUser) !== undefined
  }

  /** The batch that the leads of unknown callers of a campaign belong to (made once). */
  inboundBatch(campaignId: number, at: string): number {
    const id = this.value<number>(
      "SELECT id FROM import_batches WHERE campaign_id = ? AND kind = 'inbound' ORDER BY id LIMIT 1",
      campaignId
    )
    if (id !== undefined) return id
    return this.insert(
      `INSERT INTO import_batches (campaign_id, file_name, source, kind, encoding, policy, mapping, rows, imported, created_at)
       VALUES (?, '来电客户', '来电', 'inbound', NULL, 'skip', '[]', 0, 0, ?)`,
      campaignId,
      at
    )
  }

  /** A new lead for a caller nobody knows: in the campaign of the number they called. */
  addLead(l: {
    campaignId: number
    phone: string
    kind: 'mobile' | 'landline'
    batchId: number
    province: string | null
    city: string | null
    carrier: string | null
    at: string
  }): number {
    const id = this.insert(
      `INSERT INTO leads (campaign_id, phone, phone_kind, batch_id, phone_province, phone_city, phone_carrier, created_at, updated_at)
       VALUES (@campaignId, @phone, @kind, @batchId, @province, @city, @carrier, @at, @at)`,
      l
    )
    this.run('UPDATE import_batches SET rows = rows + 1, imported = imported + 1 WHERE id = ?', l.batchId)
    this.run('INSERT INTO leads_fts (rowid, txt) VALUES (?, ?)', id, l.phone)
    return id
  }

  /** The lead goes to the rung operator for the call: leased as the queue leases it (from where it stands). */
  lease(leadId: number, userId: number, until: string, at: string): boolean {
    return (
      this.run(
        `UPDATE leads SET lease_from = status, status = 'in_queue', lease_by = @userId, lease_until = @until, updated_at = @at
         WHERE id = @leadId AND status IN ('new', 'allocated', 'callback') AND lease_by IS NULL`,
        { leadId, userId, until, at }
      ).changes === 1
    )
  }

  /** A lease of the lead's own operator runs on through the call. */
  extendLease(leadId: number, userId: number, until: string): void {
    this.run('UPDATE leads SET lease_until = ? WHERE id = ? AND lease_by = ?', until, leadId, userId)
  }

  /** The routed call nobody answered gives the lead back (only a lease the routing gave, not one being worked). */
  giveBack(leadId: number, userId: number, at: string): void {
    this.run(
      `UPDATE leads SET status = coalesce(lease_from, 'new'), lease_by = NULL, lease_until = NULL, lease_from = NULL, updated_at = @at
       WHERE id = @leadId AND lease_by = @userId AND status = 'in_queue'`,
      { leadId, userId, at }
    )
  }

  startCall(c: { operatorId: number; leadId: number; campaignId: number; shown: string; at: string }): number {
    return this.insert(
      `INSERT INTO calls (operator_id, lead_id, direction, line, started_at, campaign_id, shown_number)
       VALUES (@operatorId, @leadId, 'inbound', 'sip', @at, @campaignId, @shown)`,
      c
    )
  }

  call(id: number): RoutedCall | undefined {
    return this.one(
      'SELECT id, operator_id, lead_id, campaign_id, direction, answered_at, ended_at, started_at FROM calls WHERE id = ?',
      id
    )
  }

  answered(callId: number, at: string): void {
    this.run('UPDATE calls SET answered_at = coalesce(answered_at, ?) WHERE id = ?', at, callId)
  }

  /** Routed calls still ringing (neither answered nor ended) that began before @before. */
  ringingSince(before: string): RoutedCall[] {
    return this.all(
      `SELECT id, operator_id, lead_id, campaign_id, direction, answered_at, ended_at, started_at FROM calls
       WHERE ended_at IS NULL AND answered_at IS NULL AND direction = 'inbound' AND lead_id IS NOT NULL AND started_at < ?`,
      before
    )
  }

  endUnanswered(callId: number, cause: string, at: string): boolean {
    return (
      this.run(
        'UPDATE calls SET ended_at = ?, end_cause = ? WHERE id = ? AND ended_at IS NULL AND answered_at IS NULL',
        at,
        cause,
        callId
      ).changes === 1
    )
  }

  /** The missed return call's callback: one pending per lead (a second missed call keeps the first, earlier due). */
  missedCallback(c: {
    leadId: number
    campaignId: number
    operatorId: number | null
    dueAt: string
    note: string
    at: string
  }): number | null {
    const open = this.value<number>(
      "SELECT id FROM callbacks WHERE lead_id = ? AND state = 'pending' AND origin = 'missed_inbound'",
      c.leadId
    )
    if (open !== undefined) return null
    const id = this.insert(
      `INSERT INTO callbacks (lead_id, campaign_id, operator_id, due_at, note, created_by, created_at, origin)
       VALUES (@leadId, @campaignId, @operatorId, @dueAt, @note, NULL, @at, 'missed_inbound')`,
      c
    )
    // a lead waiting in the pool or a batch is now a callback (a lead being worked, or finished, keeps its status)
    this.run(
      `UPDATE leads SET status = 'callback', next_at = @dueAt, owner_id = coalesce(owner_id, @operatorId), updated_at = @at
       WHERE id = @leadId AND status IN ('new', 'allocated', 'callback') AND lease_by IS NULL`,
      c
    )
    return id
  }

  /** The wallboard's 未接来电: pending callbacks of missed return calls, and how many of them are past due. */
  missedCounts(now: string): { waiting: number; overdue: number } {
    return this.one(
      `SELECT count(*) AS waiting, coalesce(sum(due_at < @now), 0) AS overdue FROM callbacks
       WHERE origin = 'missed_inbound' AND state = 'pending'`,
      { now }
    )!
  }
}
