import { randomBytes } from 'node:crypto'
import type { Settings, User } from '../../../shared/contract'
import { localTime } from '../../../shared/domain/calling-time'
import type { CoreDeps } from '../context'
import { DncList } from '../dnc/list'
import { AppError } from '../errors'
import type { SecretBox } from '../secrets'
import { SmsRepo, type SmsKind, type SmsMessageRow, type VisitFacts } from './repo'

const MIN = 60_000
/** Tries before a message is failed for good; back-off 1, 2, 4, 8 minutes between them. */
export const SMS_MAX_ATTEMPTS = 5
/** A Chinese SMS is 70 characters (UCS-2); a longer one is split into parts of 67. At most this many parts. */
export const SMS_MAX_PARTS = 5
export const SMS_VARIABLES = ['{客户}', '{时间}', '{业务员}'] as const

/** 退订: the replies that unsubscribe (TD, T, 退订, N …), as Chinese providers require them honoured. */
const UNSUBSCRIBE = /^\s*(td|t|n|退订|退|取消|unsubscribe|stop)\s*[。.!！]?\s*$/i

/** 11月25日 10:00, as a customer reads a time (the centre's zone). */
function visitTime(iso: string, tz: string): string {
  const l = localTime(new Date(iso), tz)
  const [, m, d] = l.day.split('-').map(Number)
  const hh = String(Math.floor(l.minutes / 60)).padStart(2, '0')
  const mm = String(Math.floor(l.minutes % 60)).padStart(2, '0')
  return `${m}月${d}日 ${hh}:${mm}`
}

export function smsParts(text: string): number {
  const n = [...text].length
  return n <= 70 ? 1 : Math.ceil(n / 67)
}

/** What one try of the gateway gave: accepted for delivery, or why not. */
export type SendResult = { ok: true } | { ok: false; error: string }

/** Where messages leave the centre: the first implementation is Kannel's smsbox (HTTP sendsms). */
export interface SmsGateway {
  send(m: { to: string; text: string; dlrUrl: string }): Promise<SendResult>
}

/** Kannel smsbox: GET /cgi-bin/sendsms, UCS-2 (coding=2) for Chinese, delivery reports to @dlrUrl. */
export class KannelGateway implements SmsGateway {
  constructor(private c: { url: string; username: string; password: string; sender: string }) {}

  async send(m: { to: string; text: string; dlrUrl: string }): Promise<SendResult> {
    const q = new URLSearchParams({
      username: this.c.username,
      password: this.c.password,
      from: this.c.sender,
      to: m.to,
      charset: 'UTF-8',
      coding: '2',
      text: m.text,
      'dlr-mask': '31',
      'dlr-url': m.dlrUrl
    })
    try {
      const r = await fetch(`${this.c.url}?${q}`, { signal: AbortSignal.timeout(10_000) })
      const body = (await r.text()).trim()
      // "0: Accepted for delivery" (202) or "3: Queued for later delivery" (202): Kannel has it
      if (r.status === 202 || r.status === 200) return { ok: true }
      return { ok: false, error: `${r.status} ${body}`.slice(0, 200) }
    } catch (err) {
      return {
        ok: false,
        error: (err instanceof Error ? (err.cause as Error | undefined)?.message || err.message : String(err)).slice(
          0,
          200
        )
      }
    }
  }
}

/**
 * 短信: a visit booked with a field agent, or moved, sends the customer a message from the
 * administrator's templates (the time, the agent, the centre's signature). Messages are written to an
 * outbox in the transaction that booked the visit and sent by a timer through the gateway, retried
 * with back-off; delivery reports and replies come back to the hub. A 退订 reply puts the number on the
 * do-not-contact list for SMS, which every later message asks first.
 */
export class SmsService {
  readonly repo: SmsRepo
  private dnc: DncList
  private sending = false

  constructor(
    private deps: CoreDeps,
    private box: SecretBox,
    private settings: () => Settings,
    /** Tests and other gateways: else Kannel from the stored configuration. */
    private gatewayFor: (() => SmsGateway | null) | null = null
  ) {
    this.repo = new SmsRepo(deps.db)
    this.dnc = new DncList(deps.db, deps.keyedHash)
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  /** The message of a template for a visit, as the customer will read it. */
  render(kind: SmsKind, v: VisitFacts, template = this.repo.template(kind)!): string {
    const tz = this.settings().timeZone
    // 张先生 / 李女士; the whole name when the gender is not known; 尊敬的客户 without a name
    const title = v.gender === 'F' ? '女士' : v.gender === 'M' ? '先生' : null
    const who = !v.name ? '尊敬的客户' : title ? `${[...v.name][0]}${title}` : v.name
    const body = template.body
      .replaceAll('{客户}', who)
      .replaceAll('{时间}', visitTime(v.visit_at, tz))
      .replaceAll('{业务员}', v.agent_name ?? '')
    return `${template.signature}${body}`
  }

  /** A visit was booked with an agent, or moved: its message goes to the outbox (or is blocked, with why). */
  visitScheduled(dispatchId: number, kind: SmsKind): number | null {
    const t = this.repo.template(kind)
    const v = this.repo.visit(dispatchId)
    if (!t || !v || !v.agent_name || v.training) return null
    const iso = this.now().toISOString()
    if (t.status !== 'approved') {
      this.repo.leadEvent(v.lead_id, iso, null, 'sms_skipped', { kind, why: 'templateNotApproved' })
      return null
    }
    const stop = this.dnc.blocking(v.phone, { campaignId: v.campaign_id, channel: 'sms' }, iso)
    const id = this.repo.queue({
      leadId: v.lead_id,
      dispatchId,
      kind,
      phone: v.phone,
      body: this.render(kind, v, t),
      state: stop ? 'blocked' : 'queued',
      error: stop ? `退订/免打扰: ${stop.reason}` : null,
      token: randomBytes(12).toString('hex'),
      at: iso
    })
    this.repo.leadEvent(v.lead_id, iso, null, stop ? 'sms_blocked' : 'sms_queued', { kind, messageId: id })
    return id
  }

  private gateway(): SmsGateway | null {
    if (this.gatewayFor) return this.gatewayFor()
    const g = this.repo.gateway()
    if (!g || !g.enabled) return null
    return new KannelGateway({
      url: g.send_url,
      username: g.username,
      password: g.password_sealed.length ? this.box.open(g.password_sealed) : '',
      sender: g.sender
    })
  }

  /** Sends what is due; one run at a time. The number of messages tried. */
  async tick(): Promise<number> {
    if (this.sending) return 0
    const gw = this.gateway()
    if (!gw) return 0
    this.sending = true
    try {
      const due = this.repo.due(this.now().toISOString(), 50)
      for (const m of due) await this.sendOne(gw, m)
      return due.length
    } finally {
      this.sending = false
    }
  }

  private async sendOne(gw: SmsGateway, m: SmsMessageRow): Promise<void> {
    const base = this.repo.gateway()?.callback_base ?? ''
    const r = await gw.send({
      to: m.phone,
      text: m.body,
      dlrUrl: `${base}/sms/dlr?id=${m.id}&k=${m.dlr_token}&status=%d`
    })
    const iso = this.now().toISOString()
    if (r.ok) return this.repo.sent(m.id, iso)
    const tries = m.attempts + 1
    const next =
      tries >= SMS_MAX_ATTEMPTS ? null : new Date(this.now().getTime() + 2 ** (tries - 1) * MIN).toISOString()
    this.repo.tried(m.id, r.error, next)
    if (!next && m.lead_id) this.repo.leadEvent(m.lead_id, iso, null, 'sms_failed', { messageId: m.id, error: r.error })
  }

  /** The gateway's delivery report (its URL carries the message's token). */
  deliveryReport(id: number, token: string, status: number): boolean {
    const m = this.repo.message(id)
    if (!m || m.dlr_token !== token) return false
    this.repo.report(id, status, this.now().toISOString())
    return true
  }

  /** A reply from a handset, passed on by the gateway (its URL carries the gateway's key). 退订 stops SMS to the number. */
  reply(key: string, from: string, text: string): 'unsubscribed' | 'ignored' | 'refused' {
    const g = this.repo.gateway()
    if (!g || key.length < 16 || key !== g.mo_key) return 'refused'
    if (!UNSUBSCRIBE.test(text)) return 'ignored'
    const phone = from.replace(/^(\+86|0086|86)(?=1\d{10}$)/, '')
    const iso = this.now().toISOString()
    this.dnc.put({
      phone,
      source: 'customer_request',
      where: { scope: 'all', ref: '', channel: 'sms' },
      reason: `短信回复“${text.trim().slice(0, 10)}”退订`,
      effectiveAt: iso,
      expiresAt: null,
      userId: null,
      at: iso
    })
    this.deps.audit.write({
      userId: null,
      username: 'sms',
      action: 'sms.unsubscribed',
      entity: 'dnc',
      details: { phone: `${phone.slice(0, 3)}****${phone.slice(-4)}` },
      source: 'sms gateway'
    })
    return 'unsubscribed'
  }

  /** The administrator's view of the gateway: never the password. */
  gatewayView(): {
    enabled: boolean
    sendUrl: string
    username: string
    sender: string
    callbackBase: string
    moPath: string | null
    passwordSet: boolean
  } {
    const g = this.repo.gateway()
    return {
      enabled: !!g?.enabled,
      sendUrl: g?.send_url ?? '',
      username: g?.username ?? '',
      sender: g?.sender ?? '',
      callbackBase: g?.callback_base ?? '',
      moPath: g ? `/sms/mo/${g.mo_key}` : null,
      passwordSet: !!g?.password_sealed.length
    }
  }

  setGateway(
    user: User,
    input: {
      enabled: boolean
      sendUrl: string
      username: string
      password?: string
      sender: string
      callbackBase: string
    },
    source: string
  ): void {
    const old = this.repo.gateway()
    if (input.enabled && !input.password && !old?.password_sealed.length)
      throw new AppError('INVALID_INPUT', 'errors.smsPasswordRequired')
    this.repo.saveGateway({
      enabled: input.enabled ? 1 : 0,
      send_url: input.sendUrl,
      username: input.username,
      password_sealed: input.password ? this.box.seal(input.password) : null,
      sender: input.sender,
      callback_base: input.callbackBase.replace(/\/+$/, ''),
      mo_key: old?.mo_key ?? randomBytes(18).toString('base64url'),
      updated_at: this.now().toISOString()
    })
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action: 'sms.gateway',
      entity: 'system',
      details: { enabled: input.enabled, sendUrl: input.sendUrl, sender: input.sender, password: !!input.password },
      source
    })
  }

  saveTemplate(
    user: User,
    input: {
      kind: SmsKind
      signature: string
      body: string
      status: 'draft' | 'submitted' | 'approved' | 'rejected'
      providerCode?: string | null
    },
    source: string
  ): void {
    if (!/^【[^【】]{2,16}】$/.test(input.signature)) throw new AppError('INVALID_INPUT', 'errors.smsSignature')
    const unknown = (input.body.match(/\{[^}]*\}/g) ?? []).filter(
      (v) => !(SMS_VARIABLES as readonly string[]).includes(v)
    )
    if (unknown.length) throw new AppError('INVALID_INPUT', 'errors.smsVariable', { name: unknown[0] })
    // the longest it can get: a name, a time, an agent's name filled in
    const sample = this.render(
      input.kind,
      {
        lead_id: 0,
        phone: '',
        name: '欧阳先生',
        gender: 'M',
        visit_at: this.now().toISOString(),
        agent_name: '欧阳娜娜娜',
        campaign_id: 0
      },
      { ...input, provider_code: null, updated_at: '' }
    )
    if (smsParts(sample) > SMS_MAX_PARTS)
      throw new AppError('INVALID_INPUT', 'errors.smsTooLong', { n: [...sample].length, max: SMS_MAX_PARTS * 67 })
    // the template and its audit line in one commit
    this.repo.transaction(() => {
      this.repo.saveTemplate({
        kind: input.kind,
        signature: input.signature,
        body: input.body,
        status: input.status,
        providerCode: input.providerCode ?? null,
        by: user.id,
        at: this.now().toISOString()
      })
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'sms.template',
        entity: 'system',
        details: { kind: input.kind, status: input.status },
        source
      })
    })
  }

  retry(user: User, id: number, source: string): void {
    if (!this.repo.retry(id, this.now().toISOString())) throw new AppError('CONFLICT', 'errors.smsNotFailed')
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action: 'sms.retry',
      entity: 'sms',
      entityId: id,
      source
    })
  }
}
