import { Repo } from '../db/repo'
import { IS_OPERATORS_LEAD } from '../leads/ownership'

export interface CaseRow {
  id: number
  phone: string
  lead_id: number | null
  customer: string | null
  category: string
  channel: string
  summary: string
  call_ids: string
  follow_up_id: number | null
  operator: string | null
  supplier: string | null
  owner_id: number | null
  owner: string | null
  state: 'received' | 'handling' | 'decided' | 'closed'
  received_at: string
  due_at: string
  extended_at: string | null
  extend_reason: string | null
  answer_contact: string | null
  decision: string | null
  decided_at: string | null
  closed_at: string | null
  created_by: string | null
  created_at: string
  on_dnc: number
}

const CASE = `SELECT c.*, l.name AS customer, op.display_name AS operator, b.source AS supplier, o.display_name AS owner,
    cb.username AS created_by, EXISTS (SELECT 1 FROM dnc_entries e WHERE e.complaint_id = c.id AND e.removed_at IS NULL) AS on_dnc
  FROM complaints c LEFT JOIN leads l ON l.id = c.lead_id LEFT JOIN users op ON op.id = c.operator_id
  LEFT JOIN import_batches b ON b.id = c.batch_id LEFT JOIN users o ON o.id = c.owner_id LEFT JOIN users cb ON cb.id = c.created_by`

/** 投诉 cases and their history: the complaints' one reader and writer. */
export class ComplaintsRepo extends Repo {
  get(id: number): CaseRow | undefined {
    return this.one(`${CASE} WHERE c.id = ?`, id)
  }

  /** Open cases (not closed), overdue first then by due date; or every case newest first. */
  list(open: boolean, now: string, limit: number): CaseRow[] {
    return open
      ? this.all(
          `${CASE} WHERE c.state <> 'closed'
           ORDER BY (c.state IN ('received', 'handling') AND c.due_at < @now) DESC, c.due_at LIMIT @limit`,
          { now, limit }
        )
      : this.all(`${CASE} ORDER BY c.received_at DESC, c.id DESC LIMIT @limit`, { limit })
  }

  add(c: {
    phone: string
    leadId: number | null
    category: string
    channel: string
    summary: string
    callIds: number[]
    followUpId: number | null
    operatorId: number | null
    batchId: number | null
    ownerId: number | null
    receivedAt: string
    dueAt: string
    answerContact: string | null
    createdBy: number | null
    at: string
  }): number {
    return this.insert(
      `INSERT INTO complaints (phone, lead_id, category, channel, summary, call_ids, follow_up_id, operator_id, batch_id, owner_id,
         received_at, due_at, answer_contact, created_by, created_at)
       VALUES (@phone, @leadId, @category, @channel, @summary, @callIds, @followUpId, @operatorId, @batchId, @ownerId,
         @receivedAt, @dueAt, @answerContact, @createdBy, @at)`,
      { ...c, callIds: JSON.stringify(c.callIds) }
    )
  }

  event(id: number, at: string, userId: number | null, action: string, note: string | null): void {
    this.run(
      'INSERT INTO complaint_events (complaint_id, at, user_id, action, note) VALUES (?, ?, ?, ?, ?)',
      id,
      at,
      userId,
      action,
      note
    )
    // a case opened, closed or reopened puts its recordings under legal hold or frees them: the store is told
    this.run(
      `UPDATE recordings SET store_sync_due = 1 WHERE stored_at IS NOT NULL
         AND (lead_id = (SELECT lead_id FROM complaints WHERE id = @id)
           OR call_id IN (SELECT value FROM complaints, json_each(complaints.call_ids) WHERE complaints.id = @id))`,
      { id }
    )
  }

  events(id: number): { at: string; by: string | null; action: string; note: string | null }[] {
    return this.all(
      `SELECT e.at, u.display_name AS by, e.action, e.note FROM complaint_events e LEFT JOIN users u ON u.id = e.user_id
       WHERE e.complaint_id = ? ORDER BY e.at, e.id`,
      id
    )
  }

  update(
    id: number,
    f: Partial<{
      state: string
      decision: string | null
      decided_at: string | null
      closed_at: string | null
      due_at: string
      extended_at: string
      extend_reason: string
      answer_contact: string
      owner_id: number
    }>
  ): void {
    const cols = Object.keys(f)
    this.run(`UPDATE complaints SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`, { ...f, id })
  }

  // ——— who and what a case is about ———

  call(
    id: number
  ):
    | { id: number; operator_id: number; lead_id: number | null; started_at: string; follow_up_id: number | null }
    | undefined {
    return this.one('SELECT id, operator_id, lead_id, started_at, follow_up_id FROM calls WHERE id = ?', id)
  }

  lead(id: number): { id: number; phone: string; batch_id: number | null } | undefined {
    return this.one('SELECT id, phone, batch_id FROM leads WHERE id = ?', id)
  }

  /** The lead of this number (the latest), when the number was typed by hand. */
  leadOfPhone(phone: string): { id: number; phone: string; batch_id: number | null } | undefined {
    return this.one('SELECT id, phone, batch_id FROM leads WHERE phone = ? ORDER BY id DESC LIMIT 1', phone)
  }

  /** The operator of the lead's latest real call (who the complaint is about, when no call is named). */
  lastOperator(leadId: number): number | undefined {
    return this.value(
      "SELECT operator_id FROM calls WHERE lead_id = ? AND line = 'sip' ORDER BY started_at DESC LIMIT 1",
      leadId
    )
  }

  isOperatorsLead(leadId: number, operatorId: number): boolean {
    return this.value(IS_OPERATORS_LEAD, { lead: leadId, op: operatorId }) !== undefined
  }

  /** A field agent's visit of this lead, or one in the leader's district. */
  isFieldLead(leadId: number, userId: number, districtCode: string | null): boolean {
    return (
      this.value(
        'SELECT 1 FROM dispatches WHERE lead_id = @leadId AND (agent_id = @userId OR (@district IS NOT NULL AND district_code = @district))',
        { leadId, userId, district: districtCode }
      ) !== undefined
    )
  }

  callsWithRecordings(ids: number[]): { callId: number; startedAt: string; recordingId: number | null }[] {
    if (!ids.length) return []
    return this.all(
      `SELECT c.id AS callId, c.started_at AS startedAt, r.id AS recordingId FROM calls c LEFT JOIN recordings r ON r.call_id = c.id
       WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.started_at`,
      JSON.stringify(ids)
    )
  }

  /** May this user own a case (QA, a supervisor, an administrator, not disabled)? */
  mayOwn(userId: number): boolean {
    return (
      this.value(
        "SELECT 1 FROM users WHERE id = ? AND disabled = 0 AND role IN ('qa', 'supervisor', 'admin')",
        userId
      ) !== undefined
    )
  }

  // ——— the report ———

  report(from: string, to: string, now: string) {
    const p = { from, to, now }
    const inRange = 'c.received_at >= @from AND c.received_at < @to'
    return {
      byCategory: this.all<{ category: string; n: number }>(
        `SELECT c.category, count(*) AS n FROM complaints c WHERE ${inRange} GROUP BY c.category`,
        p
      ),
      byOperator: this.all<{ operator: string; n: number }>(
        `SELECT coalesce(u.display_name, '—') AS operator, count(*) AS n FROM complaints c LEFT JOIN users u ON u.id = c.operator_id
         WHERE ${inRange} GROUP BY c.operator_id ORDER BY n DESC, operator`,
        p
      ),
      bySupplier: this.all<{ supplier: string; n: number }>(
        `SELECT coalesce(b.source, '—') AS supplier, count(*) AS n FROM complaints c LEFT JOIN import_batches b ON b.id = c.batch_id
         WHERE ${inRange} GROUP BY coalesce(b.source, '—') ORDER BY n DESC, supplier`,
        p
      ),
      decided: this.one<{ n: number; mean: number | null; max: number | null; late: number }>(
        `SELECT count(*) AS n, avg(julianday(c.decided_at) - julianday(c.received_at)) AS mean,
           max(julianday(c.decided_at) - julianday(c.received_at)) AS max, coalesce(sum(c.decided_at > c.due_at), 0) AS late
         FROM complaints c WHERE ${inRange} AND c.decided_at IS NOT NULL`,
        p
      )!,
      openOverdue:
        this.value<number>(
          `SELECT count(*) FROM complaints c WHERE ${inRange} AND c.state IN ('received', 'handling') AND c.due_at < @now`,
          p
        ) ?? 0
    }
  }
}
