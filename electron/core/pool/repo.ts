import { Repo } from '../db/repo'

/** Statuses of a lead that sits in someone's private pool waiting for work. */
const HELD = "('allocated', 'callback')"

export interface DueRow {
  id: number
  name: string | null
  owner_id: number
  rules: string
  follow_base: string
  progress_base: string
}

/** When each held lead falls due for recall under its campaign's rules. */
const DUE = `SELECT l.id, l.name, l.owner_id, c.rules,
    coalesce(l.last_follow_up_at, l.owned_since) AS follow_base,
    coalesce(l.last_progress_at, l.owned_since) AS progress_base
  FROM leads l JOIN campaigns c ON c.id = l.campaign_id
  WHERE l.owner_id IS NOT NULL AND l.status IN ${HELD}`

/** The private pools (私海): daily batches, claims, releases, recall and handover of leads. */
export class PoolRepo extends Repo {
  rules(campaignId: number): string | undefined {
    return this.value('SELECT rules FROM campaigns WHERE id = ?', campaignId)
  }

  setRules(campaignId: number, rules: string): void {
    this.run('UPDATE campaigns SET rules = ? WHERE id = ?', rules, campaignId)
  }

  held(userId: number): number {
    return this.value<number>(`SELECT count(*) FROM leads WHERE owner_id = ? AND status IN ${HELD}`, userId)!
  }

  /** Active operators, all or those named. */
  operators(ids?: number[]): { id: number; display_name: string }[] {
    return ids?.length
      ? this.all(
          `SELECT id, display_name FROM users WHERE role = 'operator' AND disabled = 0 AND id IN (${ids.map(() => '?').join(',')}) ORDER BY id`,
          ...ids
        )
      : this.all("SELECT id, display_name FROM users WHERE role = 'operator' AND disabled = 0 ORDER BY id")
  }

  allocatedOn(operatorId: number, day: string): number {
    return this.value<number>('SELECT count(*) FROM allocations WHERE operator_id = ? AND day = ?', operatorId, day)!
  }

  /** A campaign's import batches, all or those named. */
  batches(campaignId: number, ids?: number[]): { id: number; source: string }[] {
    return ids?.length
      ? this.all(
          `SELECT id, source FROM import_batches WHERE campaign_id = ? AND id IN (${ids.map(() => '?').join(',')}) ORDER BY id`,
          campaignId,
          ...ids
        )
      : this.all('SELECT id, source FROM import_batches WHERE campaign_id = ? ORDER BY id', campaignId)
  }

  /** A batch's public leads, oldest first. */
  publicLeads(batchId: number, limit: number): number[] {
    return this.column(
      "SELECT id FROM leads WHERE batch_id = ? AND status = 'new' AND owner_id IS NULL ORDER BY id LIMIT ?",
      batchId,
      limit
    )
  }

  /** Only a lead still new and unowned changes hands: a lead cannot be given twice. False when it was taken. */
  allocate(leadId: number, operatorId: number, day: string, byUserId: number, at: string): boolean {
    const taken = this.run(
      "UPDATE leads SET status = 'allocated', owner_id = ?, owned_since = ?, updated_at = ? WHERE id = ? AND status = 'new' AND owner_id IS NULL",
      operatorId,
      at,
      at,
      leadId
    )
    if (taken.changes !== 1) return false
    this.run(
      'INSERT INTO allocations (lead_id, operator_id, day, allocated_by, allocated_at) VALUES (?, ?, ?, ?, ?)',
      leadId,
      operatorId,
      day,
      byUserId,
      at
    )
    return true
  }

  lead(id: number): { id: number; campaign_id: number; status: string; owner_id: number | null } | undefined {
    return this.one('SELECT id, campaign_id, status, owner_id FROM leads WHERE id = ?', id)
  }

  claimsSince(userId: number, since: string): number {
    return this.value<number>(
      "SELECT count(*) FROM lead_events WHERE user_id = ? AND kind = 'claimed' AND at >= ?",
      userId,
      since
    )!
  }

  /** When the lead was last recalled from this operator. */
  lastRecallFrom(leadId: number, userId: number): string | undefined {
    return this.value(
      "SELECT at FROM lead_events WHERE lead_id = ? AND kind = 'recalled' AND json_extract(details, '$.from') = ? ORDER BY id DESC LIMIT 1",
      leadId,
      userId
    )
  }

  own(leadId: number, userId: number, at: string): void {
    this.run(
      "UPDATE leads SET owner_id = ?, status = 'allocated', owned_since = ?, updated_at = ? WHERE id = ?",
      userId,
      at,
      at,
      leadId
    )
  }

  /** Back to the public pool; `ownerId` guards that it is still theirs. */
  toPublic(leadId: number, ownerId: number | null, at: string): boolean {
    return (
      this.run(
        `UPDATE leads SET owner_id = NULL, status = 'new', owned_since = NULL, updated_at = @at
         WHERE id = @leadId AND (@ownerId IS NULL OR owner_id = @ownerId) AND status IN ${HELD}`,
        { leadId, ownerId, at }
      ).changes === 1
    )
  }

  due(ownerId?: number): DueRow[] {
    return ownerId === undefined ? this.all(DUE) : this.all(`${DUE} AND l.owner_id = ?`, ownerId)
  }

  /** A recall: back to the public pool unless its owner changed meanwhile. */
  recall(leadId: number, ownerId: number, at: string): void {
    this.run(
      "UPDATE leads SET owner_id = NULL, status = 'new', owned_since = NULL, updated_at = ? WHERE id = ? AND owner_id = ?",
      at,
      leadId,
      ownerId
    )
  }

  user(id: number): { role: string; disabled: number } | undefined {
    return this.one('SELECT role, disabled FROM users WHERE id = ?', id)
  }

  heldLeads(ownerId: number): number[] {
    return this.column(`SELECT id FROM leads WHERE owner_id = ? AND status IN ${HELD}`, ownerId)
  }

  giveTo(leadId: number, toUserId: number, at: string): void {
    this.run('UPDATE leads SET owner_id = ?, owned_since = ?, updated_at = ? WHERE id = ?', toUserId, at, at, leadId)
  }

  /** Today's and later batches follow the leads: to the new operator, or gone with them to the public pool. */
  moveAllocations(fromUserId: number, toUserId: number | null, fromDay: string): number {
    return toUserId === null
      ? this.run('DELETE FROM allocations WHERE operator_id = ? AND day >= ?', fromUserId, fromDay).changes
      : this.run(
          'UPDATE OR IGNORE allocations SET operator_id = ? WHERE operator_id = ? AND day >= ?',
          toUserId,
          fromUserId,
          fromDay
        ).changes
  }
}
