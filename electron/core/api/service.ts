import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { z } from 'zod'
import {
  API_SCOPES,
  type ApiKey,
  type ApiScope,
  type Locale,
  type Settings,
  type User,
  type WebhookEvent,
  type apiDncPost,
  type apiKeyCreateInput,
  type apiLeadInput,
  type apiLeadResult
} from '../../../shared/contract'
import { translate } from '../../../shared/i18n'
import { isPhoneProblem, maskWith, normalisePhone } from '../../../shared/domain/phone'
import type { CoreDeps } from '../context'
import type { DncService } from '../dnc/service'
import { AppError } from '../errors'
import type { LeadsService } from '../leads/service'
import { ApiRepo, type ApiKeyRow } from './repo'
import type { Webhooks } from './webhooks'

const DAY = 86_400_000
/** The columns a posted lead fills, in the order of the table handed to the import. */
const FIELDS = ['phone', 'name', 'gender', 'birthDate', 'idNo', 'address', 'employer', 'occupation', 'note'] as const
const HEADERS = ['手机', '姓名', '性别', '出生日期', '身份证号', '地址', '工作单位', '职业', '备注']

/** A caller of the API: its key and what it may do. */
export interface ApiCaller {
  keyId: number
  name: string
  prefix: string
  scopes: ReadonlySet<ApiScope>
  campaignId: number | null
}

const hashOf = (key: string) => createHash('sha256').update(key).digest()

/**
 * The integration API's core (the REST transport is electron/server/rest.ts): keys shown once and kept
 * as their hash, with scopes and an optional campaign; leads posted through the same import as a file
 * (checks, duplicates, the do-not-call list), answered row by row; reads that mask numbers unless the
 * key may see them.
 */
export class ApiService {
  readonly repo: ApiRepo

  constructor(
    private deps: CoreDeps,
    private leads: LeadsService,
    private dnc: DncService,
    private settings: () => Settings,
    private webhooks: Webhooks
  ) {
    this.repo = new ApiRepo(deps.db)
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  toApiKey(r: ApiKeyRow): ApiKey {
    return {
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      scopes: JSON.parse(r.scopes) as ApiScope[],
      campaignId: r.campaign_id,
      expiresAt: r.expires_at,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at
    }
  }

  /** A new key: `ll_<prefix>_<secret>`, returned once; only its SHA-256 is kept. */
  createKey(user: User, input: z.output<typeof apiKeyCreateInput>, source: string): { key: string; apiKey: ApiKey } {
    const scopes = [...new Set(input.scopes)].sort((a, b) => API_SCOPES.indexOf(a) - API_SCOPES.indexOf(b))
    const campaignId = input.campaignId ?? null
    if (campaignId !== null && !this.repo.campaigns(campaignId).length)
      throw new AppError('NOT_FOUND', 'errors.campaignNotFound', { ref: String(campaignId) })
    const prefix = randomBytes(4).toString('hex')
    const key = `ll_${prefix}_${randomBytes(24).toString('base64url')}`
    const now = this.now()
    const id = this.repo.addKey({
      name: input.name,
      prefix,
      hash: hashOf(key),
      scopes: JSON.stringify(scopes),
      campaignId,
      expiresAt: input.days ? new Date(now.getTime() + input.days * DAY).toISOString() : null,
      by: user.id > 0 ? user.id : null,
      at: now.toISOString()
    })
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action: 'apikeys.create',
      entity: 'apiKey',
      entityId: id,
      details: { name: input.name, prefix, scopes, campaignId },
      source
    })
    return { key, apiKey: this.toApiKey(this.repo.key(id)!) }
  }

  listKeys(): ApiKey[] {
    return this.repo.keys().map((r) => this.toApiKey(r))
  }

  /** By id or by its prefix (the command line). */
  revokeKey(user: User, ref: number | string, source: string): void {
    const row = typeof ref === 'number' ? this.repo.key(ref) : this.repo.byPrefix(ref.replace(/^ll_/, '').split('_')[0])
    if (!row) throw new AppError('NOT_FOUND')
    // the revocation and its audit line in one commit
    this.repo.transaction(() => {
      if (!this.repo.revoke(row.id, this.now().toISOString())) return
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'apikeys.revoke',
        entity: 'apiKey',
        entityId: row.id,
        details: { name: row.name, prefix: row.prefix },
        source
      })
    })
  }

  /** The caller of a request (`Authorization: Bearer <key>`); refused at once when revoked or expired. */
  authenticate(authorization: string | undefined): ApiCaller {
    const key = /^Bearer (ll_([0-9a-f]{8})_[A-Za-z0-9_-]{32})$/.exec(authorization ?? '')
    const row = key ? this.repo.byPrefix(key[2]) : undefined
    if (!key || !row || !timingSafeEqual(hashOf(key[1]), row.key_hash))
      throw new AppError('UNAUTHENTICATED', 'errors.apiKeyInvalid')
    const now = this.now().toISOString()
    if (row.revoked_at) throw new AppError('UNAUTHENTICATED', 'errors.apiKeyRevoked')
    if (row.expires_at && row.expires_at <= now) throw new AppError('UNAUTHENTICATED', 'errors.apiKeyExpired')
    // its last use, to the minute (a key polling every second does not write every second)
    if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > 60_000) this.repo.used(row.id, now)
    return {
      keyId: row.id,
      name: row.name,
      prefix: row.prefix,
      scopes: new Set(JSON.parse(row.scopes) as ApiScope[]),
      campaignId: row.campaign_id
    }
  }

  /** Every call of a key on the audit log: what, and the status it got. */
  audited(caller: ApiCaller, request: string, status: number, source: string): void {
    this.deps.audit.write({
      userId: null,
      username: `api:${caller.name}`,
      action: 'api.request',
      entity: 'apiKey',
      entityId: caller.keyId,
      details: { request: request.slice(0, 200), status },
      source
    })
  }

  private campaignOf(caller: ApiCaller, campaignId: number): void {
    if (caller.campaignId !== null && caller.campaignId !== campaignId)
      throw new AppError('FORBIDDEN', 'errors.apiCampaign')
    if (!this.repo.campaigns(campaignId).length)
      throw new AppError('NOT_FOUND', 'errors.campaignNotFound', { ref: String(campaignId) })
  }

  campaigns(caller: ApiCaller) {
    return {
      items: this.repo.campaigns(caller.campaignId).map((c) => ({ id: c.id, name: c.name, active: !!c.active }))
    }
  }

  /**
   * Leads into a campaign through the file import's own path (number checks, duplicates in the post and
   * in the pool, the do-not-call list, the campaign's area rule), answered row by row.
   */
  async postLeads(
    caller: ApiCaller,
    campaignId: number,
    leads: z.output<typeof apiLeadInput>[],
    locale: Locale
  ): Promise<{ batchId: number | null; results: z.output<typeof apiLeadResult>[] }> {
    this.campaignOf(caller, campaignId)
    const table = {
      kind: 'csv' as const,
      encoding: null,
      delimiter: null,
      sheet: null,
      sheets: [],
      headerRowNo: 0,
      headers: HEADERS,
      rows: leads.map((l, i) => ({
        rowNo: i + 1,
        cells: FIELDS.map((f) =>
          f === 'gender' ? (l.gender === 'M' ? '男' : l.gender === 'F' ? '女' : '') : (l[f] ?? '')
        )
      }))
    }
    const area = this.settings().areaCode
    const phones = leads.map((l) => {
      const p = normalisePhone(l.phone, area)
      return isPhoneProblem(p) ? null : p.phone
    })
    const r = await this.leads.importTable(table, {
      dncAmong: phones.filter((p): p is string => p !== null),
      fileName: `API ${caller.name}`,
      source: `API:${caller.name}`,
      campaignId,
      policy: 'skip',
      mapping: ['phone', 'name', 'gender', 'birthDate', 'idNo', 'address', 'employer', 'occupation', 'note'],
      userId: null
    })
    const report = new Map<number, { outcome: string; reason: string; detail: string | null }>()
    for (const row of this.repo.importReport(r.batchId)) if (row.outcome !== 'warning') report.set(row.row_no, row)
    const ids = this.repo.leadsByPhone(phones.filter((p): p is string => p !== null))
    const results = leads.map((_, i) => {
      const rep = report.get(i + 1)
      const leadId = phones[i] ? ids.get(phones[i]!) : undefined
      if (!rep) return { row: i + 1, status: 'created' as const, ...(leadId ? { leadId } : {}) }
      const status =
        rep.outcome === 'invalid'
          ? ('invalid' as const)
          : rep.outcome === 'dnc'
            ? ('dnc' as const)
            : ('duplicate' as const)
      const reason = translate(locale, `importReasons.${rep.reason}`, { detail: rep.detail ?? '' })
      return {
        row: i + 1,
        status,
        ...(status === 'duplicate' && leadId ? { leadId } : {}),
        reason: reason === `importReasons.${rep.reason}` ? rep.reason : reason
      }
    })
    return { batchId: r.batchId, results }
  }

  lead(caller: ApiCaller, id: number, source: string) {
    const l = this.repo.lead(id)
    if (!l || (caller.campaignId !== null && l.campaign_id !== caller.campaignId)) throw new AppError('NOT_FOUND')
    const full = caller.scopes.has('pii:read')
    if (full)
      this.deps.audit.write({
        userId: null,
        username: `api:${caller.name}`,
        action: 'api.pii',
        entity: 'lead',
        entityId: id,
        details: { key: caller.prefix },
        source
      })
    return {
      id: l.id,
      campaignId: l.campaign_id,
      phone: full ? l.phone : maskWith(l.phone, this.settings().maskStyle),
      name: l.name,
      status: l.status,
      attempts: l.attempts,
      lastOutcome: l.last_outcome,
      lastCallAt: l.last_call_at,
      createdAt: l.created_at
    }
  }

  outcomes(caller: ApiCaller, cursor: string | undefined, limit: number) {
    const rows = this.repo.outcomesAfter(this.after(cursor), caller.campaignId, limit)
    return this.page(
      rows.map((o) => ({
        id: o.id,
        leadId: o.lead_id,
        callId: o.call_id,
        campaignId: o.campaign_id,
        disposition: o.disposition,
        label: o.label,
        success: !!o.success,
        visitAt: o.visit_at,
        at: o.at
      })),
      cursor
    )
  }

  /** A webhook endpoint of the key's system (held to the key's campaign); its secret answered once. */
  registerWebhook(caller: ApiCaller, body: { url: string; events: WebhookEvent[] }, source: string) {
    return this.webhooks.register(
      { ...body, campaignId: caller.campaignId },
      { user: null, keyId: caller.keyId },
      source
    )
  }

  private after(cursor: string | undefined): number {
    const after = cursor === undefined ? 0 : Number.parseInt(cursor, 36)
    if (!Number.isFinite(after) || after < 0 || (cursor !== undefined && !/^[0-9a-z]{1,12}$/.test(cursor)))
      throw new AppError('INVALID_INPUT', 'errors.apiCursor')
    return after
  }

  private page<T extends { id: number }>(items: T[], cursor: string | undefined) {
    return { items, nextCursor: items.length ? items[items.length - 1].id.toString(36) : (cursor ?? null) }
  }

  calls(caller: ApiCaller, cursor: string | undefined, limit: number) {
    const rows = this.repo.callsAfter(this.after(cursor), caller.campaignId, limit)
    return this.page(
      rows.map((c) => ({
        id: c.id,
        leadId: c.lead_id,
        campaignId: c.campaign_id,
        direction: c.direction as 'outbound' | 'inbound',
        startedAt: c.started_at,
        answeredAt: c.answered_at,
        endedAt: c.ended_at,
        talkSec:
          c.answered_at && c.ended_at
            ? Math.max(0, Math.round((Date.parse(c.ended_at) - Date.parse(c.answered_at)) / 1000))
            : 0,
        shownNumber: c.shown_number
      })),
      cursor
    )
  }

  private toDispatch(d: ReturnType<ApiRepo['dispatchesAfter']>[number]) {
    const p = d.policy ? (JSON.parse(d.policy) as Record<string, unknown>) : null
    return {
      id: d.id,
      leadId: d.lead_id,
      campaignId: d.campaign_id,
      districtCode: d.district_code,
      visitAt: d.visit_at,
      state: d.state,
      agentName: d.agent_name,
      createdAt: d.created_at,
      assignedAt: d.assigned_at,
      reportedAt: d.reported_at,
      policy: p
        ? {
            policyNo: String(p.policyNo ?? ''),
            product: String(p.product ?? ''),
            premium: Number(p.premium ?? 0),
            sumInsured: Number(p.sumInsured ?? 0),
            termYears: Number(p.termYears ?? 0),
            receivedOn: (p.receivedOn as string | undefined) ?? null,
            insurerPolicyNo: (p.insurerPolicyNo as string | undefined) ?? null,
            insurerStatus: (p.insurerStatus as string | undefined) ?? null
          }
        : null
    }
  }

  dispatches(caller: ApiCaller, cursor: string | undefined, limit: number) {
    return this.page(
      this.repo.dispatchesAfter(this.after(cursor), caller.campaignId, limit).map((d) => this.toDispatch(d)),
      cursor
    )
  }

  dispatch(caller: ApiCaller, id: number) {
    const [d] = this.repo.dispatchesAfter(0, caller.campaignId, 1, id)
    if (!d) throw new AppError('NOT_FOUND')
    return this.toDispatch(d)
  }

  followUps(caller: ApiCaller, cursor: string | undefined, limit: number) {
    const rows = this.repo.followUpsAfter(this.after(cursor), caller.campaignId, limit)
    return this.page(
      rows.map((f) => ({
        id: f.id,
        leadId: f.lead_id,
        dispatchId: f.dispatch_id,
        kind: f.kind,
        state: f.state,
        result: f.result,
        complaint: f.complaint,
        dueAt: f.due_at,
        doneAt: f.done_at
      })),
      cursor
    )
  }

  /** The insurer's policy number and status on a signed sale (its dispatch), on the lead's history. */
  attachPolicy(caller: ApiCaller, leadId: number, body: { policyNo: string; status: string }) {
    const l = this.repo.lead(leadId)
    if (!l || (caller.campaignId !== null && l.campaign_id !== caller.campaignId)) throw new AppError('NOT_FOUND')
    return this.repo.transaction(() => {
      const d = this.repo.signedDispatch(leadId)
      if (!d) throw new AppError('CONFLICT', 'errors.apiNoSignedSale')
      const at = this.now().toISOString()
      const policy = {
        ...(d.policy ? (JSON.parse(d.policy) as object) : {}),
        insurerPolicyNo: body.policyNo,
        insurerStatus: body.status,
        insurerUpdatedAt: at
      }
      this.repo.setPolicy(d.id, JSON.stringify(policy))
      this.repo.leadEvent(leadId, at, null, 'policy_update', {
        policyNo: body.policyNo,
        status: body.status,
        key: caller.prefix
      })
      return { dispatchId: d.id, policyNo: body.policyNo, status: body.status, updatedAt: at }
    })
  }

  postDnc(caller: ApiCaller, body: z.output<typeof apiDncPost>) {
    const phone = this.dnc.phone(body.phone)
    const expiresAt = this.dnc.put(
      phone,
      {
        source: body.source,
        reason: `${body.reason}（API ${caller.name}）`,
        where: { scope: 'all', ref: '', channel: body.channel },
        days: body.days ?? null
      },
      null
    )
    return { phone: maskWith(phone, this.settings().maskStyle), expiresAt }
  }
}
