import type Database from 'better-sqlite3'
import {
  customerCardSchema,
  EMPTY_CARD,
  type Campaign,
  type CustomerCard,
  type DeskLead,
  type Settings,
  type User
} from '../../../shared/contract'
import type { z } from 'zod'
import type { outcomeInputSchema } from '../../../shared/contract/desk'
import { atLocal, hhmmToMinutes, localTime } from '../../../shared/domain/calling-time'
import { parseIdCard } from '../../../shared/domain/id-card'
import { isPhoneProblem, normalisePhone } from '../../../shared/domain/phone'
import { idNoFor, phoneFor } from '../privacy'
import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { DncList } from '../leads/dnc'
import { DialRules, type Block, type DialableLead } from './rules'

type OutcomeInput = z.output<typeof outcomeInputSchema>
export type QueueSource = 'callback' | 'batch' | 'pool'

const MIN = 60_000
/** How many candidates one look at a source takes before giving up on it for this claim. */
const LOOK = 12

interface LeadRow extends DialableLead {
  phone_kind: 'mobile' | 'landline'
  name: string | null
  gender: 'M' | 'F' | null
  birth_date: string | null
  id_no: string | null
  address: string | null
  district_code: string | null
  employer: string | null
  occupation: string | null
  note: string | null
  owner_id: number | null
  lease_from: string | null
  card: string | null
}

/** A lease that ends (expired or released) puts the lead back where it came from; a pool lead goes to the retry index (now), so the fresh scan need not find it again. */
const GIVE_BACK = `status = coalesce(lease_from, 'new'), next_at = CASE WHEN coalesce(lease_from, 'new') = 'new' THEN coalesce(next_at, @now) ELSE next_at END,
  lease_by = NULL, lease_until = NULL, lease_from = NULL, updated_at = @now`

export interface Claim {
  leadId: number
  source: QueueSource
  callbackId: number | null
  leaseUntil: Date
  /** The lead comes back for the outcome of this call of mine (the desk was reloaded, crashed, closed). */
  unfinishedCallId?: number
}

/** How long an operator's call without an outcome keeps coming back to them for one. */
const UNFINISHED_WITHIN_MS = 24 * 60 * MIN

/**
 * The operator desk's core: the dial queue (one transaction per claim, leased so no other seat
 * gets the lead), the calling rules, outcomes saved with their call, callbacks, agent states
 * and the operator's figures.
 */
export class DeskService {
  readonly rules: DialRules
  private dnc: DncList
  /** Fresh pool leads below this id are all taken or worked (per campaign); the scan starts here. */
  private poolCursor = new Map<number, number>()

  /** Told of each new outcome inside its transaction (QA: the success gate and the review queue). */
  onOutcome: (o: { callId: number | null; leadId: number; success: boolean; campaignId: number }) => void = () => {}

  constructor(
    private deps: CoreDeps,
    private campaigns: CampaignsService,
    private settings: () => Settings
  ) {
    this.rules = new DialRules(deps.db, settings)
    this.dnc = new DncList(deps.db)
  }

  private get db(): Database.Database {
    return this.deps.db
  }

  /** Statements are prepared once: the queue runs them on every claim. */
  private stmts = new Map<string, Database.Statement>()
  private q(sql: string): Database.Statement {
    let st = this.stmts.get(sql)
    if (!st) {
      st = this.db.prepare(sql)
      this.stmts.set(sql, st)
    }
    return st
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  lead(id: number): LeadRow {
    const r = this.q('SELECT * FROM leads WHERE id = ?').get(id) as LeadRow | undefined
    if (!r) throw new AppError('NOT_FOUND')
    return r
  }

  private leaseUntil(now: Date): Date {
    return new Date(now.getTime() + this.settings().leaseMinutes * MIN)
  }

  /** Leases whose desk went silent (a crashed seat) end: each lead goes back where it came from. */
  sweepLeases(): number {
    const now = this.now().toISOString()
    const r = this.q(`UPDATE leads SET ${GIVE_BACK} WHERE lease_by IS NOT NULL AND lease_until <= @now`).run({ now })
    return r.changes
  }

  private claim(lead: LeadRow, userId: number, now: Date): Date {
    const until = this.leaseUntil(now)
    const r = this.q(
      "UPDATE leads SET lease_from = status, status = 'in_queue', lease_by = ?, lease_until = ?, updated_at = ? WHERE id = ? AND status = ? AND lease_by IS NULL"
    ).run(userId, until.toISOString(), now.toISOString(), lead.id, lead.status)
    if (r.changes !== 1) throw new AppError('CONFLICT')
    return until
  }

  /** Which campaigns may feed an operator from the shared pool now. */
  private poolCampaigns(now: Date): Campaign[] {
    return this.campaigns.list().filter((c) => c.active && c.settings.allowPool && !this.rules.windowBlock(c, now))
  }

  /**
   * The next lead for an operator, claimed in one transaction: a lead already leased to them (a
   * reload), their due callbacks, their batch, then the shared pool. Null when nothing is
   * dialable now, with the soonest time something will be.
   */
  next(user: User): { claim: Claim } | { claim: null; nextAt: Date | null; reason: 'nothingDue' | 'closed' } {
    const db = this.db
    return db
      .transaction(() => {
        const now = this.now()
        const iso = now.toISOString()
        this.sweepLeases()
        let soonest = null as Date | null
        const note = (blocks: Block[]) => {
          const at = DialRules.clearsAt(blocks)
          if (at && (!soonest || at < soonest)) soonest = at
        }
        // A call of mine still owes its outcome: that lead comes back first, for its wrap-up.
        const owed = this.unfinished(user)
        if (owed) {
          const l = this.lead(owed.leadId)
          let until = this.leaseUntil(now)
          // mine again while the outcome is filled in (its lease ran out while the desk was away), so no other seat takes it
          if (l.lease_by === user.id)
            this.q('UPDATE leads SET lease_until = ? WHERE id = ?').run(until.toISOString(), l.id)
          else if (['new', 'allocated', 'callback'].includes(l.status)) until = this.claim(l, user.id, now)
          const cb = this.q("SELECT id FROM callbacks WHERE lead_id = ? AND state = 'pending'").pluck().get(l.id) as
            number | undefined
          return {
            claim: {
              leadId: l.id,
              source: (l.lease_from ?? l.status) === 'new' ? 'pool' : cb ? 'callback' : 'batch',
              callbackId: cb ?? null,
              leaseUntil: until,
              unfinishedCallId: owed.callId
            } as Claim
          }
        }
        const held = this.q('SELECT * FROM leads WHERE lease_by = ? ORDER BY lease_until DESC LIMIT 1').get(user.id) as
          LeadRow | undefined
        if (held) {
          const until = this.leaseUntil(now)
          this.q('UPDATE leads SET lease_until = ? WHERE id = ?').run(until.toISOString(), held.id)
          const cb = this.q("SELECT id FROM callbacks WHERE lead_id = ? AND state = 'pending'").pluck().get(held.id) as
            number | undefined
          return {
            claim: {
              leadId: held.id,
              source: held.lease_from === 'new' ? 'pool' : cb ? 'callback' : 'batch',
              callbackId: cb ?? null,
              leaseUntil: until
            } as Claim
          }
        }

        // The first dialable lead of a source is claimed; blocked ones say when they clear (and pool leads step aside).
        const take = <R extends LeadRow>(
          rows: R[],
          source: QueueSource,
          o: { callback?: boolean; park?: boolean; callbackId?: (l: R) => number } = {}
        ): Claim | null => {
          for (const l of rows) {
            const blocks = this.rules.blocks(l, this.campaigns.get(l.campaign_id), now, {
              forUserId: user.id,
              callback: o.callback
            })
            if (blocks.length) {
              if (o.park) this.park(l, blocks, now)
              note(blocks)
              continue
            }
            return {
              leadId: l.id,
              source,
              callbackId: o.callbackId?.(l) ?? null,
              leaseUntil: this.claim(l, user.id, now)
            }
          }
          return null
        }

        // 1. Callbacks that are due: mine, then open ones of the campaign.
        const callbacks = this.q(
          `SELECT c.id AS callback_id, l.* FROM callbacks c JOIN leads l ON l.id = c.lead_id
             WHERE c.state = 'pending' AND c.due_at <= ? AND (c.operator_id = ? OR c.operator_id IS NULL)
             ORDER BY c.operator_id IS NULL, c.due_at LIMIT ?`
        ).all(iso, user.id, LOOK) as (LeadRow & { callback_id: number })[]
        const fromCallback = take(
          callbacks.filter((l) => l.status === 'callback'),
          'callback',
          { callback: true, callbackId: (l) => l.callback_id }
        )
        if (fromCallback) return { claim: fromCallback }

        // 2. My batch: leads allocated to me (today's first, then retries that are due).
        const batch = this.q(
          `SELECT * FROM leads WHERE owner_id = ? AND status = 'allocated' AND (next_at IS NULL OR next_at <= ?)
             ORDER BY next_at IS NOT NULL, id LIMIT ?`
        ).all(user.id, iso, LOOK) as LeadRow[]
        const fromBatch = take(batch, 'batch')
        if (fromBatch) return { claim: fromBatch }
        const laterInBatch = this.q(
          "SELECT min(next_at) FROM leads WHERE owner_id = ? AND status = 'allocated' AND next_at > ?"
        )
          .pluck()
          .get(user.id, iso) as string | null
        if (laterInBatch && (!soonest || new Date(laterInBatch) < soonest)) soonest = new Date(laterInBatch)

        // 3. The shared pool of campaigns that allow it and are open now: due retries, then fresh leads.
        const open = this.poolCampaigns(now)
        if (open.length) {
          const ids = open.map((c) => c.id)
          const inList = ids.map(() => '?').join(',')
          const retries = this.q(
            `SELECT * FROM leads WHERE next_at <= ? AND status = 'new' AND owner_id IS NULL AND campaign_id IN (${inList}) ORDER BY next_at LIMIT ?`
          ).all(iso, ...ids, LOOK) as LeadRow[]
          const fromRetries = take(retries, 'pool', { park: true })
          if (fromRetries) return { claim: fromRetries }
          for (const c of open) {
            // Fresh leads are nearly all dialable: a few at a time, further only when some are not.
            for (let look = 0; look < 8; look++) {
              const fresh = this.q(
                "SELECT * FROM leads WHERE id > ? AND status = 'new' AND next_at IS NULL AND owner_id IS NULL AND campaign_id = ? ORDER BY id LIMIT ?"
              ).all(this.poolCursor.get(c.id) ?? 0, c.id, look === 0 ? 3 : LOOK) as LeadRow[]
              if (!fresh.length) break
              const fromFresh = take(fresh, 'pool', { park: true })
              // Everything below the claimed lead (or below the last one looked at) is taken or parked.
              this.poolCursor.set(c.id, fromFresh ? fromFresh.leadId : fresh[fresh.length - 1].id)
              if (fromFresh) return { claim: fromFresh }
            }
          }
        }
        const anyOpen = this.campaigns.list().some((c) => c.active && !this.rules.windowBlock(c, now))
        if (!anyOpen) {
          for (const c of this.campaigns.list().filter((x) => x.active)) note([this.rules.windowBlock(c, now)!])
        }
        return { claim: null, nextAt: soonest, reason: anyOpen ? 'nothingDue' : 'closed' } as const
      })
      .immediate()
  }

  /**
   * A pool lead that cannot be dialed for a while steps out of the fresh scan: it waits in the
   * retry index until its block passes (or leaves the queue for good on a lasting DNC).
   */
  private park(l: LeadRow, blocks: Block[], now: Date): void {
    if (blocks.some((b) => b.code === 'dnc' && !b.until)) {
      this.q("UPDATE leads SET status = 'dnc', updated_at = ? WHERE id = ? AND status = 'new'").run(
        now.toISOString(),
        l.id
      )
      return
    }
    if (blocks.some((b) => b.code === 'maxAttempts')) {
      this.q("UPDATE leads SET status = 'exhausted', updated_at = ? WHERE id = ? AND status = 'new'").run(
        now.toISOString(),
        l.id
      )
      return
    }
    // Only blocks of the lead itself park it; a closed line applies to the whole campaign.
    const own = blocks.filter(
      (b) => b.code === 'dnc' || b.code === 'retryLater' || b.code === 'cap24h' || b.code === 'cap5min'
    )
    const at = DialRules.clearsAt(own)
    if (own.length && at) this.q('UPDATE leads SET next_at = ? WHERE id = ?').run(at.toISOString(), l.id)
  }

  private heldBy(leadId: number, userId: number): LeadRow {
    const l = this.lead(leadId)
    if (l.lease_by !== userId) throw new AppError('CONFLICT', 'errors.notYourLead')
    return l
  }

  /** Dial the lead I hold: the rules once more, one attempt against the caps, a call started. */
  dial(
    user: User,
    leadId: number,
    line: 'sip' | 'simulated'
  ): { callId: number; number: string; recordingNotice: boolean; scriptId: number | null; leaseUntil: Date } {
    const db = this.db
    return db
      .transaction(() => {
        const now = this.now()
        const iso = now.toISOString()
        const l = this.heldBy(leadId, user.id)
        const campaign = this.campaigns.get(l.campaign_id)
        const blocks = this.blocksFor(l, user, now)
        if (blocks.length) this.rules.refuse(blocks[0])
        const scriptId = this.campaigns.currentScriptId(campaign.id)
        const callId = Number(
          this.q(
            'INSERT INTO calls (operator_id, lead_id, direction, line, started_at, campaign_id, script_id) VALUES (?, ?, ?, ?, ?, ?, ?)'
          ).run(user.id, l.id, 'outbound', line, iso, campaign.id, scriptId).lastInsertRowid
        )
        // The simulated line reaches no one: it counts as an attempt on the lead, not against the number's caps.
        if (line === 'sip') this.countDial(l.phone, l.id, user, callId, iso)
        const until = this.leaseUntil(now)
        this.q(
          "UPDATE leads SET status = 'in_call', attempts = attempts + 1, last_call_at = ?, lease_until = ?, updated_at = ? WHERE id = ?"
        ).run(iso, until.toISOString(), iso, l.id)
        return {
          callId,
          number: l.phone,
          recordingNotice: campaign.settings.recordingNotice,
          scriptId,
          leaseUntil: until
        }
      })
      .immediate()
  }

  /**
   * A number dialed by hand (not a queue lead) on the real line: an outside number must be inside
   * the legal hours, off the do-not-call list and under the per-number caps, and counts against
   * them. Internal extensions (up to 6 digits) are free.
   */
  checkManualDial(user: User, raw: string, callId: number): void {
    const n = normalisePhone(raw, this.settings().areaCode)
    if (isPhoneProblem(n)) return
    const now = this.now()
    const blocks = [
      this.rules.legalBlock(now),
      this.rules.dncBlock(n.phone, now),
      ...this.rules.capBlocks(n.phone, now)
    ].filter((b): b is Block => b !== null)
    if (blocks.length) this.rules.refuse(blocks[0])
    this.countDial(n.phone, null, user, callId, now.toISOString())
  }

  /** One dial to a number, against its caps across operators and campaigns. */
  private countDial(phone: string, leadId: number | null, user: User, callId: number, at: string): void {
    this.q('INSERT INTO dial_attempts (phone, lead_id, operator_id, call_id, at) VALUES (?, ?, ?, ?, ?)').run(
      phone,
      leadId,
      user.id,
      callId,
      at
    )
  }

  /** Why this operator cannot dial the lead now (empty: they can); a callback that is due is the customer's own request. */
  blocksFor(l: LeadRow, user: User, now: Date): Block[] {
    const dueCallback =
      this.q("SELECT 1 FROM callbacks WHERE lead_id = ? AND state = 'pending' AND due_at <= ?").get(
        l.id,
        now.toISOString()
      ) !== undefined
    return this.rules.blocks(l, this.campaigns.get(l.campaign_id), now, { forUserId: user.id, callback: dueCallback })
  }

  /** The campaign of the operator's last call (for their wrap-up limit and daily target); the default campaign before any. */
  lastCampaign(user: Pick<User, 'id'>): Campaign {
    const id = this.q(
      'SELECT campaign_id FROM calls WHERE operator_id = ? AND campaign_id IS NOT NULL ORDER BY id DESC LIMIT 1'
    )
      .pluck()
      .get(user.id) as number | undefined
    return this.campaigns.get(id ?? 1)
  }

  renew(user: User, leadId: number): Date {
    const until = this.leaseUntil(this.now())
    const r = this.q('UPDATE leads SET lease_until = ? WHERE id = ? AND lease_by = ?').run(
      until.toISOString(),
      leadId,
      user.id
    )
    if (r.changes !== 1) throw new AppError('CONFLICT', 'errors.notYourLead')
    return until
  }

  /** Skip: the lead goes back where it came from. */
  release(user: User, leadId: number): void {
    const r = this.q(`UPDATE leads SET ${GIVE_BACK} WHERE id = @id AND lease_by = @user`).run({
      now: this.now().toISOString(),
      id: leadId,
      user: user.id
    })
    if (r.changes !== 1) throw new AppError('CONFLICT', 'errors.notYourLead')
  }

  /** An outcome and its consequences, in one transaction with the call; a resend is recognised by its client id. */
  outcome(user: User, input: OutcomeInput): { outcomeId: number; leadStatus: string; duplicate: boolean } {
    const db = this.db
    return db
      .transaction(() => {
        const dup = this.q(
          'SELECT o.id, l.status FROM outcomes o JOIN leads l ON l.id = o.lead_id WHERE o.client_id = ?'
        ).get(input.clientId) as { id: number; status: string } | undefined
        if (dup) return { outcomeId: dup.id, leadStatus: dup.status, duplicate: true }
        const now = this.now()
        const iso = now.toISOString()
        const l = this.lead(input.leadId)
        const call =
          input.callId === null
            ? undefined
            : (this.q('SELECT id, lead_id, operator_id, line FROM calls WHERE id = ?').get(input.callId) as
                { id: number; lead_id: number | null; operator_id: number; line: string } | undefined)
        if (input.callId !== null && (!call || call.operator_id !== user.id || call.lead_id !== l.id))
          throw new AppError('NOT_FOUND')
        // Mine to close: I hold its lease, or I made this call (the lease may have run out while the desk was offline).
        if (l.lease_by !== user.id && !call) throw new AppError('CONFLICT', 'errors.notYourLead')
        if (call && this.q('SELECT 1 FROM outcomes WHERE call_id = ?').get(call.id))
          throw new AppError('CONFLICT', 'errors.outcomeExists')
        const campaign = this.campaigns.get(l.campaign_id)
        const d = this.campaigns.disposition(campaign.id, input.disposition)
        if (d.callback) {
          if (!input.callbackAt) throw new AppError('INVALID_INPUT', 'errors.callbackTimeRequired')
          if (input.callbackAt <= iso) throw new AppError('INVALID_INPUT', 'errors.callbackInPast')
        }
        let district: string | null = null
        if (d.success) {
          if (!input.consent) throw new AppError('INVALID_INPUT', 'errors.consentRequired')
          if (!input.visitAt) throw new AppError('INVALID_INPUT', 'errors.visitTimeRequired')
          // a visit is agreed for later, inside the hours field agents visit (in the centre's zone)
          if (input.visitAt <= iso) throw new AppError('INVALID_INPUT', 'errors.visitInPast')
          const { visitHours, timeZone } = this.settings()
          const at = localTime(new Date(input.visitAt), timeZone).minutes
          if (at < hhmmToMinutes(visitHours.start) || at > hhmmToMinutes(visitHours.end))
            throw new AppError('INVALID_INPUT', 'errors.visitOutsideHours', {
              start: visitHours.start,
              end: visitHours.end
            })
          district = input.districtCode ?? l.district_code
          if (!district) throw new AppError('INVALID_INPUT', 'errors.districtRequiredForSuccess')
          if (!this.q('SELECT 1 FROM districts WHERE code = ?').get(district))
            throw new AppError('INVALID_INPUT', 'errors.unknownDistrict', { code: district })
        }
        const simulated = call?.line === 'simulated'
        const outcomeId = Number(
          this.q(
            `INSERT INTO outcomes (client_id, lead_id, call_id, operator_id, campaign_id, disposition, label, success, connected, notes, callback_at, visit_at, district_code, consent, product_interest, simulated, at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
          ).run(
            input.clientId,
            l.id,
            call?.id ?? null,
            user.id,
            campaign.id,
            d.code,
            d.label,
            d.success ? 1 : 0,
            d.connected ? 1 : 0,
            input.notes ?? null,
            d.callback ? input.callbackAt! : null,
            d.success ? input.visitAt! : null,
            district,
            input.consent ? 1 : 0,
            input.productInterest ?? null,
            simulated ? 1 : 0,
            iso
          ).lastInsertRowid
        )
        // Pending callbacks of this lead are answered by this outcome.
        this.q("UPDATE callbacks SET state = 'done', done_at = ? WHERE lead_id = ? AND state = 'pending'").run(
          iso,
          l.id
        )
        if (d.dncDays !== null) {
          const expires = d.dncDays === 0 ? null : new Date(now.getTime() + d.dncDays * 24 * 60 * MIN).toISOString()
          this.dnc.put(l.phone, d.label, d.dncDays === 0 ? 'customer_request' : 'refusal', user.id, iso, expires)
        }
        // Where the lead came from: before its lease, or as it is when the lease has already ended.
        const back = l.lease_by !== null ? (l.lease_from ?? 'new') : l.status
        let status: string
        let nextAt: string | null = null
        let owner = l.owner_id
        if (d.success) status = 'accepted'
        else if (d.callback) {
          status = 'callback'
          if (!input.callbackOpen) owner = owner ?? user.id
          this.q(
            'INSERT INTO callbacks (lead_id, campaign_id, operator_id, due_at, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
          ).run(
            l.id,
            campaign.id,
            input.callbackOpen ? null : user.id,
            input.callbackAt!,
            input.notes ?? null,
            user.id,
            iso
          )
        } else if (d.final) status = d.dncDays === 0 ? 'dnc' : d.connected ? 'refused' : 'invalid_number'
        else if (l.attempts >= campaign.settings.maxAttempts) status = 'exhausted'
        else {
          status = back === 'callback' ? (owner ? 'allocated' : 'new') : back
          if (status === 'new') owner = null
          nextAt = new Date(now.getTime() + (d.retryMinutes ?? 60) * MIN).toISOString()
        }
        this.q(
          `UPDATE leads SET status = ?, next_at = ?, owner_id = ?, lease_by = NULL, lease_until = NULL, lease_from = NULL, last_outcome = ?,
             last_follow_up_at = ?, last_progress_at = CASE WHEN ? THEN ? ELSE last_progress_at END, district_code = coalesce(?, district_code), updated_at = ? WHERE id = ?`
        ).run(status, nextAt, owner, d.code, iso, d.connected ? 1 : 0, iso, district, iso, l.id)
        this.q('INSERT INTO lead_events (lead_id, at, user_id, kind, details) VALUES (?, ?, ?, ?, ?)').run(
          l.id,
          iso,
          user.id,
          'outcome',
          JSON.stringify({ outcome: d.label, callId: call?.id ?? null, simulated })
        )
        this.onOutcome({ callId: call?.id ?? null, leadId: l.id, success: d.success, campaignId: campaign.id })
        return { outcomeId, leadStatus: status, duplicate: false }
      })
      .immediate()
  }

  /** The customer card as a role may see it. */
  card(user: User, leadId: number): DeskLead {
    const l = this.lead(leadId)
    this.mayRead(user, l)
    const s = this.settings()
    const campaign = this.campaigns.get(l.campaign_id)
    const district = l.district_code
      ? (this.q('SELECT name FROM districts WHERE code = ?').pluck().get(l.district_code) as string | undefined)
      : undefined
    const calls = (
      this.q(
        `SELECT c.id, c.started_at, u.display_name AS operator, o.label, o.notes, c.line,
             CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL THEN (julianday(c.ended_at) - julianday(c.answered_at)) * 86400000 ELSE 0 END AS ms,
             r.id AS recording_id
           FROM calls c JOIN users u ON u.id = c.operator_id LEFT JOIN outcomes o ON o.call_id = c.id LEFT JOIN recordings r ON r.call_id = c.id
           WHERE c.lead_id = ? ORDER BY c.id DESC LIMIT 50`
      ).all(l.id) as {
        id: number
        started_at: string
        operator: string
        label: string | null
        notes: string | null
        line: string
        ms: number
        recording_id: number | null
      }[]
    ).map((c) => ({
      callId: c.id,
      at: c.started_at,
      operator: c.operator,
      outcome: c.label,
      notes: c.notes,
      durationMs: Math.round(c.ms),
      recordingId: c.recording_id,
      simulated: c.line === 'simulated'
    }))
    let card: CustomerCard = EMPTY_CARD
    if (l.card) {
      const parsed = customerCardSchema.safeParse(JSON.parse(l.card))
      if (parsed.success) card = parsed.data
    }
    return {
      id: l.id,
      campaignId: l.campaign_id,
      campaignName: campaign.name,
      phone: phoneFor(l.phone, user.role, s),
      phoneKind: l.phone_kind,
      name: l.name,
      gender: l.gender,
      birthDate: l.birth_date,
      idNo: idNoFor(l.id_no, user.role, s),
      address: l.address,
      districtCode: l.district_code,
      districtName: district ?? null,
      employer: l.employer,
      occupation: l.occupation,
      note: l.note,
      status: l.status,
      attempts: l.attempts,
      card,
      calls
    }
  }

  /** Operators see the leads they hold, own or were given; QA and managers see all. */
  private mayRead(user: User, l: LeadRow): void {
    if (user.role !== 'operator') return
    if (l.lease_by === user.id || l.owner_id === user.id) return
    const mine = this.q(
      'SELECT 1 FROM allocations WHERE lead_id = ? AND operator_id = ? UNION ALL SELECT 1 FROM calls WHERE lead_id = ? AND operator_id = ? LIMIT 1'
    ).get(l.id, user.id, l.id, user.id)
    if (!mine) throw new AppError('FORBIDDEN')
  }

  saveCard(
    user: User,
    input: {
      leadId: number
      name?: string
      gender?: 'M' | 'F' | null
      birthDate?: string | null
      idNo?: string
      address?: string
      employer?: string
      occupation?: string
      note?: string
      card?: CustomerCard
    }
  ): void {
    const l = this.lead(input.leadId)
    if (user.role === 'operator' && l.lease_by !== user.id && l.owner_id !== user.id) throw new AppError('FORBIDDEN')
    let { gender, birthDate } = input
    let idNo: string | undefined
    if (input.idNo !== undefined && input.idNo !== '') {
      const p = parseIdCard(input.idNo, localTime(this.now(), this.settings().timeZone).day)
      if ('problem' in p) throw new AppError('INVALID_INPUT', `errors.idCard.${p.problem}`)
      // The ID number decides birth date and gender.
      idNo = p.idNo
      gender = p.gender
      birthDate = p.birthDate
    }
    const set: string[] = []
    const vals: (string | null)[] = []
    const put = (col: string, v: string | null | undefined) => {
      if (v === undefined) return
      set.push(`${col} = ?`)
      vals.push(v === '' ? null : v)
    }
    put('name', input.name)
    put('gender', gender)
    put('birth_date', birthDate)
    put('id_no', input.idNo === '' ? '' : idNo)
    put('address', input.address)
    put('employer', input.employer)
    put('occupation', input.occupation)
    put('note', input.note)
    if (input.card) put('card', JSON.stringify(input.card))
    if (!set.length) return
    const iso = this.now().toISOString()
    this.db.transaction(() => {
      this.q(`UPDATE leads SET ${set.join(', ')}, updated_at = ? WHERE id = ?`).run(...vals, iso, l.id)
      this.q('INSERT INTO lead_events (lead_id, at, user_id, kind, details) VALUES (?, ?, ?, ?, ?)').run(
        l.id,
        iso,
        user.id,
        'card',
        JSON.stringify({ fields: set.map((s) => s.split(' ')[0]) })
      )
    })()
  }

  /**
   * My last call of a lead that has no outcome yet — the page was reloaded or closed during the
   * call or its wrap-up, the browser crashed, the hub restarted: an outcome is owed, and the lead
   * has not moved on since (no outcome for it after the call, no later call, nobody else holds it).
   */
  unfinished(user: Pick<User, 'id'>): { callId: number; leadId: number; endedAt: string | null } | null {
    const since = new Date(this.now().getTime() - UNFINISHED_WITHIN_MS).toISOString()
    const row = this.q(
      `SELECT c.id AS callId, c.lead_id AS leadId, c.ended_at AS endedAt FROM calls c JOIN leads l ON l.id = c.lead_id
       WHERE c.operator_id = ? AND c.started_at >= ? AND c.lead_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.call_id = c.id OR (o.lead_id = c.lead_id AND o.at >= c.started_at))
         AND NOT EXISTS (SELECT 1 FROM calls c2 WHERE c2.lead_id = c.lead_id AND c2.id > c.id)
         AND (l.lease_by IS NULL OR l.lease_by = ?)
       ORDER BY c.id DESC LIMIT 1`
    ).get(user.id, since, user.id) as { callId: number; leadId: number; endedAt: string | null } | undefined
    return row ?? null
  }

  /** Start and end of today in the centre's time zone, as ISO instants. */
  todayBounds(): { from: string; to: string; day: string } {
    const tz = this.settings().timeZone
    const day = localTime(this.now(), tz).day
    const from = atLocal(day, 0, tz)
    return { from: from.toISOString(), to: new Date(from.getTime() + 24 * 60 * MIN).toISOString(), day }
  }

  setState(user: User, state: string, reason: string | null): { since: Date } {
    const now = this.now()
    const iso = now.toISOString()
    this.db.transaction(() => {
      const open = this.q('SELECT id, state, reason FROM agent_states WHERE operator_id = ? AND ended_at IS NULL').get(
        user.id
      ) as { id: number; state: string; reason: string | null } | undefined
      if (open && open.state === state && open.reason === reason) return
      if (open) this.q('UPDATE agent_states SET ended_at = ? WHERE id = ?').run(iso, open.id)
      this.q('INSERT INTO agent_states (operator_id, state, reason, started_at) VALUES (?, ?, ?, ?)').run(
        user.id,
        state,
        reason,
        iso
      )
    })()
    return { since: now }
  }
}
