import { Repo } from '../db/repo'

export type SmsKind = 'visit_booked' | 'visit_changed'

export interface SmsTemplateRow {
  kind: SmsKind
  signature: string
  body: string
  status: 'draft' | 'submitted' | 'approved' | 'rejected'
  provider_code: string | null
  updated_at: string
}

export interface SmsGatewayRow {
  enabled: number
  send_url: string
  username: string
  password_sealed: Buffer
  sender: string
  callback_base: string
  mo_key: string
  updated_at: string
}

export interface SmsMessageRow {
  id: number
  lead_id: number | null
  dispatch_id: number | null
  kind: string
  phone: string
  body: string
  state: 'queued' | 'sent' | 'delivered' | 'failed' | 'blocked'
  attempts: number
  next_at: string | null
  error: string | null
  dlr_token: string
  dlr_status: number | null
  created_at: string
  sent_at: string | null
  delivered_at: string | null
}

/** What a visit message says: the customer, the time, the agent. */
export interface VisitFacts {
  lead_id: number
  phone: string
  name: string | null
  gender: string | null
  visit_at: string
  agent_name: string | null
  campaign_id: number
  /** The training campaign's made-up customers get no message. */
  training?: number
}

/** 短信: templates, the gateway, the outbox — their one reader and writer. */
export class SmsRepo extends Repo {
  templates(): SmsTemplateRow[] {
    return this.all('SELECT * FROM sms_templates ORDER BY kind')
  }

  template(kind: SmsKind): SmsTemplateRow | undefined {
    return this.one('SELECT * FROM sms_templates WHERE kind = ?', kind)
  }

  saveTemplate(t: {
    kind: SmsKind
    signature: string
    body: string
    status: string
    providerCode: string | null
    by: number | null
    at: string
  }): void {
    this.run(
      `UPDATE sms_templates SET signature = @signature, body = @body, status = @status, provider_code = @providerCode,
         updated_by = @by, updated_at = @at WHERE kind = @kind`,
      t
    )
  }

  gateway(): SmsGatewayRow | undefined {
    return this.one('SELECT * FROM sms_gateway WHERE id = 1')
  }

  saveGateway(g: Omit<SmsGatewayRow, 'password_sealed'> & { password_sealed: Buffer | null }): void {
    this.run(
      `INSERT INTO sms_gateway (id, enabled, send_url, username, password_sealed, sender, callback_base, mo_key, updated_at)
       VALUES (1, @enabled, @send_url, @username, coalesce(@password_sealed, x''), @sender, @callback_base, @mo_key, @updated_at)
       ON CONFLICT (id) DO UPDATE SET enabled = @enabled, send_url = @send_url, username = @username,
         password_sealed = coalesce(@password_sealed, password_sealed), sender = @sender, callback_base = @callback_base,
         updated_at = @updated_at`,
      g
    )
  }

  visit(dispatchId: number): VisitFacts | undefined {
    return this.one(
      `SELECT l.id AS lead_id, l.phone, l.name, l.gender, d.visit_at, au.display_name AS agent_name, l.campaign_id, c.training
       FROM dispatches d JOIN leads l ON l.id = d.lead_id JOIN campaigns c ON c.id = l.campaign_id
       LEFT JOIN users au ON au.id = d.agent_id WHERE d.id = ?`,
      dispatchId
    )
  }

  queue(m: {
    leadId: number | null
    dispatchId: number | null
    kind: string
    phone: string
    body: string
    state: 'queued' | 'blocked'
    error: string | null
    token: string
    at: string
  }): number {
    return this.insert(
      `INSERT INTO sms_messages (lead_id, dispatch_id, kind, phone, body, state, next_at, error, dlr_token, created_at)
       VALUES (@leadId, @dispatchId, @kind, @phone, @body, @state, CASE WHEN @state = 'queued' THEN @at END, @error, @token, @at)`,
      m
    )
  }

  due(now: string, limit: number): SmsMessageRow[] {
    return this.all(
      "SELECT * FROM sms_messages WHERE state = 'queued' AND next_at <= ? ORDER BY next_at, id LIMIT ?",
      now,
      limit
    )
  }

  message(id: number): SmsMessageRow | undefined {
    return this.one('SELECT * FROM sms_messages WHERE id = ?', id)
  }

  sent(id: number, at: string): void {
    this.run(
      "UPDATE sms_messages SET state = 'sent', attempts = attempts + 1, sent_at = ?, next_at = NULL, error = NULL WHERE id = ?",
      at,
      id
    )
  }

  /** A try failed: again at @nextAt, or failed for good (@nextAt null). */
  tried(id: number, error: string, nextAt: string | null): void {
    this.run(
      `UPDATE sms_messages SET attempts = attempts + 1, error = @error, next_at = @nextAt,
         state = CASE WHEN @nextAt IS NULL THEN 'failed' ELSE 'queued' END WHERE id = @id`,
      { id, error, nextAt }
    )
  }

  /** A delivery report: 1 delivered, 2 failed at the carrier, 16 refused by it; others (buffered, submitted) keep it sent. */
  report(id: number, status: number, at: string): void {
    this.run(
      `UPDATE sms_messages SET dlr_status = @status,
         state = CASE WHEN @status = 1 THEN 'delivered' WHEN @status IN (2, 16) THEN 'failed' ELSE state END,
         delivered_at = CASE WHEN @status = 1 THEN @at ELSE delivered_at END,
         error = CASE WHEN @status IN (2, 16) THEN 'carrier: ' || @status ELSE error END
       WHERE id = @id AND state IN ('sent', 'delivered', 'failed')`,
      { id, status, at }
    )
  }

  /** A failed message sent again by hand: queued now, its tries counted afresh. */
  retry(id: number, at: string): boolean {
    return (
      this.run(
        "UPDATE sms_messages SET state = 'queued', attempts = 0, next_at = ?, error = NULL WHERE id = ? AND state = 'failed'",
        at,
        id
      ).changes === 1
    )
  }

  list(limit: number): SmsMessageRow[] {
    return this.all('SELECT * FROM sms_messages ORDER BY id DESC LIMIT ?', limit)
  }

  counts(): { queued: number; failed: number } {
    return this.one(
      "SELECT coalesce(sum(state = 'queued'), 0) AS queued, coalesce(sum(state = 'failed'), 0) AS failed FROM sms_messages"
    )!
  }
}
