import { createHmac, randomBytes } from 'node:crypto'
import { WEBHOOK_EVENTS, type User, type WebhookEvent } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import { Repo } from '../db/repo'
import { AppError } from '../errors'
import type { SecretBox } from '../secrets'

export interface WebhookRow {
  id: number
  url: string
  events: string
  secret_sealed: Buffer
  campaign_id: number | null
  created_at: string
  disabled_at: string | null
}

export interface DeliveryRow {
  id: number
  webhook_id: number
  msg_id: string
  event_type: string
  lead_id: number | null
  payload: string
  state: 'pending' | 'delivered' | 'dead'
  attempts: number
  next_at: string
  last_status: number | null
  last_error: string | null
  created_at: string
  delivered_at: string | null
}

/** Back-off between tries: 10 s, 1 min, 5 min, 15 min, 30 min, then every hour; dead after a day. */
const BACKOFF_S = [10, 60, 300, 900, 1800, 3600]
const GIVE_UP_MS = 24 * 3_600_000

/** Webhooks' endpoints and the outbox of their deliveries — their one reader and writer. */
export class WebhookRepo extends Repo {
  add(w: {
    url: string
    events: string
    secret: Buffer
    campaignId: number | null
    keyId: number | null
    by: number | null
    at: string
  }): number {
    return this.insert(
      `INSERT INTO webhooks (url, events, secret_sealed, campaign_id, api_key_id, created_by, created_at)
       VALUES (@url, @events, @secret, @campaignId, @keyId, @by, @at)`,
      w
    )
  }

  list(): WebhookRow[] {
    return this.all('SELECT * FROM webhooks ORDER BY id DESC')
  }

  get(id: number): WebhookRow | undefined {
    return this.one('SELECT * FROM webhooks WHERE id = ?', id)
  }

  disable(id: number, at: string): boolean {
    return this.run('UPDATE webhooks SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL', at, id).changes === 1
  }

  /** Endpoints in use that want @type for @campaignId. */
  wanting(type: string, campaignId: number | null): WebhookRow[] {
    return this.all(
      `SELECT * FROM webhooks WHERE disabled_at IS NULL AND EXISTS (SELECT 1 FROM json_each(events) WHERE value = @type)
         AND (campaign_id IS NULL OR campaign_id = @campaignId)`,
      { type, campaignId }
    )
  }

  anyActive(): boolean {
    return this.value('SELECT 1 FROM webhooks WHERE disabled_at IS NULL LIMIT 1') !== undefined
  }

  queue(d: {
    webhookId: number
    msgId: string
    type: string
    leadId: number | null
    payload: string
    at: string
  }): void {
    this.run(
      `INSERT INTO webhook_deliveries (webhook_id, msg_id, event_type, lead_id, payload, state, next_at, created_at)
       VALUES (@webhookId, @msgId, @type, @leadId, @payload, 'pending', @at, @at)`,
      d
    )
  }

  /** Due deliveries that are first in line for their lead at their endpoint (ordered per lead). */
  due(now: string, limit: number): DeliveryRow[] {
    return this.all(
      `SELECT d.* FROM webhook_deliveries d
       WHERE d.state = 'pending' AND d.next_at <= @now
         AND (d.lead_id IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_deliveries e
           WHERE e.webhook_id = d.webhook_id AND e.lead_id = d.lead_id AND e.state = 'pending' AND e.id < d.id))
       ORDER BY d.id LIMIT @limit`,
      { now, limit }
    )
  }

  delivered(id: number, status: number, at: string): void {
    this.run(
      `UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ?
       WHERE id = ?`,
      status,
      at,
      id
    )
  }

  failed(id: number, status: number | null, error: string, nextAt: string | null): void {
    this.run(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = @status, last_error = @error,
         state = CASE WHEN @nextAt IS NULL THEN 'dead' ELSE 'pending' END, next_at = coalesce(@nextAt, next_at)
       WHERE id = @id`,
      { id, status, error, nextAt }
    )
  }

  resend(id: number, at: string): boolean {
    return (
      this.run(
        "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = ?, created_at = ? WHERE id = ? AND state = 'dead'",
        at,
        at,
        id
      ).changes === 1
    )
  }

  deliveries(webhookId: number, limit: number): DeliveryRow[] {
    return this.all('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?', webhookId, limit)
  }

  campaignOfLead(leadId: number): number | undefined {
    return this.value('SELECT campaign_id FROM leads WHERE id = ?', leadId)
  }

  /** Per endpoint: deliveries pending, delivered, dead. */
  counts(): { webhook_id: number; pending: number; delivered: number; dead: number }[] {
    return this.all(
      `SELECT webhook_id, coalesce(sum(state = 'pending'), 0) AS pending, coalesce(sum(state = 'delivered'), 0) AS delivered,
         coalesce(sum(state = 'dead'), 0) AS dead FROM webhook_deliveries GROUP BY webhook_id`
    )
  }

  /** The outcome an outcome.saved event is about (its call's, else the lead's latest). */
  outcomeOf(leadId: number, callId: number | null) {
    return this.one<{
      id: number
      disposition: string
      label: string
      success: number
      simulated: number
      visit_at: string | null
      at: string
      campaign_id: number
    }>(
      `SELECT id, disposition, label, success, simulated, visit_at, at, campaign_id FROM outcomes
       WHERE lead_id = @leadId AND (@callId IS NULL OR call_id = @callId) ORDER BY id DESC LIMIT 1`,
      { leadId, callId }
    )
  }
}

/** Standard Webhooks: `v1,` and base64 HMAC-SHA256 over `id.timestamp.body` with the secret's bytes. */
export function signWebhook(secret: string, msgId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  return `v1,${createHmac('sha256', key).update(`${msgId}.${timestamp}.${body}`).digest('base64')}`
}

/** A webhook target: https anywhere, plain http only on this machine (testing). */
export function webhookUrlOk(raw: string): boolean {
  try {
    const u = new URL(raw)
    if (u.protocol === 'https:') return true
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)
  } catch {
    return false
  }
}

/**
 * Webhooks: an event of the business (an outcome saved, a success, a visit reported, a policy signed,
 * a 回访 done, a complaint opened) becomes one delivery per endpoint that wants it, written in the
 * transaction of the change; a timer sends them in order per lead, signed (Standard Webhooks), and
 * retries with back-off for a day before keeping them as dead for the administrator to send again.
 * Outcomes of training calls are never sent.
 */
export class Webhooks {
  readonly repo: WebhookRepo
  private sending = false
  /** Whether any endpoint is in use, asked at most every 30 s (a desk's outcome pays nothing without one). */
  private inUse: { any: boolean; at: number } | null = null

  constructor(
    private deps: CoreDeps,
    private box: SecretBox
  ) {
    this.repo = new WebhookRepo(deps.db)
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  private active(): boolean {
    const t = Date.now()
    if (!this.inUse || t - this.inUse.at > 30_000) this.inUse = { any: this.repo.anyActive(), at: t }
    return this.inUse.any
  }

  register(
    input: { url: string; events: WebhookEvent[]; campaignId?: number | null },
    by: { user: User | null; keyId: number | null },
    source: string
  ): { id: number; secret: string } {
    if (!webhookUrlOk(input.url)) throw new AppError('INVALID_INPUT', 'errors.webhookUrl')
    const events = [...new Set(input.events)].filter((e) => (WEBHOOK_EVENTS as readonly string[]).includes(e))
    if (!events.length) throw new AppError('INVALID_INPUT', 'errors.webhookEvents')
    const secret = `whsec_${randomBytes(24).toString('base64')}`
    const id = this.repo.add({
      url: input.url,
      events: JSON.stringify(events),
      secret: this.box.seal(secret),
      campaignId: input.campaignId ?? null,
      keyId: by.keyId,
      by: by.user && by.user.id > 0 ? by.user.id : null,
      at: this.now().toISOString()
    })
    this.inUse = null
    this.deps.audit.write({
      userId: by.user?.id ?? null,
      username: by.user?.username ?? 'api',
      action: 'webhooks.register',
      entity: 'webhook',
      entityId: id,
      details: { url: input.url, events },
      source
    })
    return { id, secret }
  }

  disable(user: User, id: number, source: string): void {
    if (!this.repo.disable(id, this.now().toISOString())) throw new AppError('NOT_FOUND')
    this.inUse = null
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action: 'webhooks.disable',
      entity: 'webhook',
      entityId: id,
      source
    })
  }

  /** An event: one delivery per endpoint that wants it (in the caller's transaction). */
  record(type: WebhookEvent, leadId: number | null, campaignId: number | null, data: object): void {
    if (!this.active()) return
    const at = this.now().toISOString()
    const campaign = campaignId ?? (leadId === null ? null : (this.repo.campaignOfLead(leadId) ?? null))
    for (const w of this.repo.wanting(type, campaign)) {
      const msgId = `msg_${randomBytes(12).toString('hex')}`
      this.repo.queue({
        webhookId: w.id,
        msgId,
        type,
        leadId,
        payload: JSON.stringify({ type, timestamp: at, data }),
        at
      })
    }
  }

  /** outcome.saved (and lead.success): never a training call's. */
  outcomeSaved(o: { callId: number | null; leadId: number; success: boolean; campaignId: number }): void {
    if (!this.active()) return
    const r = this.repo.outcomeOf(o.leadId, o.callId)
    if (!r || r.simulated) return
    const data = {
      outcomeId: r.id,
      leadId: o.leadId,
      callId: o.callId,
      campaignId: r.campaign_id,
      disposition: r.disposition,
      label: r.label,
      success: !!r.success,
      visitAt: r.visit_at,
      at: r.at
    }
    this.record('outcome.saved', o.leadId, r.campaign_id, data)
    if (r.success) this.record('lead.success', o.leadId, r.campaign_id, data)
  }

  /** Sends what is due, one run at a time. The number of deliveries tried. */
  async tick(): Promise<number> {
    if (this.sending) return 0
    this.sending = true
    try {
      const due = this.repo.due(this.now().toISOString(), 100)
      const secrets = new Map<number, { url: string; secret: string }>()
      for (const d of due) {
        let w = secrets.get(d.webhook_id)
        if (!w) {
          const row = this.repo.get(d.webhook_id)!
          w = { url: row.url, secret: this.box.open(row.secret_sealed) }
          secrets.set(d.webhook_id, w)
        }
        await this.send(d, w.url, w.secret)
      }
      return due.length
    } finally {
      this.sending = false
    }
  }

  private async send(d: DeliveryRow, url: string, secret: string): Promise<void> {
    const ts = Math.floor(Date.now() / 1000)
    let status: number | null = null
    let error: string
    try {
      const r = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
        headers: {
          'Content-Type': 'application/json',
          'webhook-id': d.msg_id,
          'webhook-timestamp': String(ts),
          'webhook-signature': signWebhook(secret, d.msg_id, ts, d.payload),
          'User-Agent': 'LeadLine-Webhooks/1'
        },
        body: d.payload
      })
      status = r.status
      await r.body?.cancel()
      if (r.status >= 200 && r.status < 300) return this.repo.delivered(d.id, r.status, this.now().toISOString())
      error = `HTTP ${r.status}`
    } catch (err) {
      error = (err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err)).slice(
        0,
        200
      )
    }
    const now = this.now().getTime()
    const next = now + BACKOFF_S[Math.min(d.attempts, BACKOFF_S.length - 1)] * 1000
    this.repo.failed(
      d.id,
      status,
      error,
      next - Date.parse(d.created_at) > GIVE_UP_MS ? null : new Date(next).toISOString()
    )
  }

  resend(user: User, id: number, source: string): void {
    if (!this.repo.resend(id, this.now().toISOString())) throw new AppError('CONFLICT', 'errors.webhookNotDead')
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action: 'webhooks.resend',
      entity: 'webhook',
      entityId: id,
      source
    })
  }
}
