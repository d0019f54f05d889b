import type { Settings, User } from '../../../shared/contract'
import type { CallerIds } from '../caller-id/service'
import { callerIdRefusal } from '../caller-id/service'
import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps } from '../context'
import type { DeskService } from '../desk/service'
import type { DomainEvents } from '../domain-events'
import { AppError } from '../errors'
import { checkPhone, isRefused } from '../phone/numbers'
import { phoneFor } from '../privacy'
import type { PhoneRegion } from '../phone/geo'
import type { PbxAnswer, PbxDial } from '../sip/pbx-dial'
import { InboundRepo, type RoutedCall } from './repo'

const MIN = 60_000
/** Operators who called a campaign within this many days are its operators, for a return call nobody else takes. */
const CAMPAIGN_OPERATOR_DAYS = 7

/** Who the routing rang, and why (the lead's history and the PBX's log say it). */
export type RouteStep = 'owner' | 'team' | 'campaign'

/**
 * 回拨路由: a customer calling one of the centre's numbers back. The PBX asks the hub
 * (`GET /pbx/inbound?from=<caller>&to=<number dialled>`, with the PBX key) whom to ring; the hub
 * matches the caller to their lead (an unknown caller becomes a new lead of the campaign the number
 * serves), and picks a seat that is connected, ready and holds no other lead: the lead's own
 * operator, else one of their team, else one who worked the campaign this week. It answers the
 * seat's SIP user, the call's id (the PBX passes it to the seat as X-LeadLine-Call) and the caller as
 * the seat may see them (masked; the PBX shows it in place of the number), having made
 * the call the seat's and leased the lead to it, so the desk opens the card as the phone rings. A
 * call nobody can take, or that rings out unanswered, becomes a callback for the lead's owner, due
 * within `settings.inbound.missedCallbackMinutes`.
 */
export class InboundRouter {
  readonly repo: InboundRepo
  /** Seats ringing now (operator → call): one return call at a time per seat. */
  private ringing = new Map<number, number>()

  constructor(
    private deps: CoreDeps,
    private bus: DomainEvents,
    private desk: DeskService,
    private campaigns: CampaignsService,
    private callerIds: CallerIds,
    private pbxDial: PbxDial,
    private settings: () => Settings
  ) {
    this.repo = new InboundRepo(deps.db)
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  /** The PBX asks where a call from @from to the centre's number @to goes. */
  route(authorization: string | undefined, from: string, to: string): PbxAnswer & { callId?: number } {
    if (!this.pbxDial.authorized(authorization)) return { status: 401, body: 'bad PBX key' }
    // a seat dialling a centre's number is no customer (and a seat's own password dials nobody outside)
    if (!from || this.repo.isSeat(from)) return { status: 404, body: 'not a customer' }
    const s = this.settings()
    const did = callerIdRefusal(to, s.areaCode)
    const number = 'phone' in did ? this.callerIds.repo.byNumber(did.phone) : undefined
    if (!number) return { status: 404, body: 'not a number of the centre' }
    this.sweep()
    const caller = callerNumber(from, s.areaCode)
    if (!caller) return { status: 404, body: 'no caller number' }
    const served = JSON.parse(number.campaigns) as number[]
    return this.repo.transaction(() => {
      const now = this.now()
      const iso = now.toISOString()
      let lead = this.repo.leadByPhone(caller.phone)
      let created = false
      if (!lead) {
        const campaignId = served[0] ?? this.defaultCampaign()
        const id = this.repo.addLead({
          campaignId,
          phone: caller.phone,
          kind: caller.kind,
          batchId: this.repo.inboundBatch(campaignId, iso),
          province: caller.region?.province ?? null,
          city: caller.region?.city ?? null,
          carrier: caller.carrier,
          at: iso
        })
        lead = this.repo.leadByPhone(caller.phone)!
        created = true
        this.desk.repo.leadEvent(id, iso, null, 'inbound_new', { number: number.number })
      }
      const owner = this.repo.ownerOf(lead.id)
      const pick = this.pick(lead.id, lead.campaign_id, owner, lead.lease_by)
      if (!pick) {
        this.missed(lead.id, lead.campaign_id, owner, null, number.number, 'nobodyFree')
        return { status: 480 as const, body: 'nobody free' }
      }
      const until = new Date(now.getTime() + (s.inbound.ringSeconds * 1000 + s.leaseMinutes * MIN)).toISOString()
      if (lead.lease_by === pick.userId) this.repo.extendLease(lead.id, pick.userId, until)
      else this.repo.lease(lead.id, pick.userId, until, iso)
      const callId = this.repo.startCall({
        operatorId: pick.userId,
        leadId: lead.id,
        campaignId: lead.campaign_id,
        shown: number.number,
        at: iso
      })
      this.desk.repo.leadEvent(lead.id, iso, null, 'inbound', { number: number.number, step: pick.step, created })
      this.ringing.set(pick.userId, callId)
      this.bus.publish('board.touched', { reason: 'inbound' })
      // the seat sees the caller as the operator may (masked): the PBX shows it in place of the number
      const shown = phoneFor(caller.phone, 'operator', s).replace(/[^0-9*]/g, '')
      return { status: 200 as const, body: `${pick.sipUser} ${callId} ${shown}`, callId }
    })
  }

  /** The seat to ring: the lead's operator, their team, the campaign's operators — free ones with a SIP account. */
  private pick(
    leadId: number,
    campaignId: number,
    owner: number | null,
    leasedTo: number | null
  ): { userId: number; sipUser: string; step: RouteStep } | null {
    const since = new Date(this.now().getTime() - CAMPAIGN_OPERATOR_DAYS * 24 * 60 * MIN).toISOString()
    const steps: [RouteStep, () => number[]][] = [
      ['owner', () => [leasedTo ?? owner].filter((u): u is number => u !== null)],
      [
        'team',
        () => {
          const team = owner === null ? null : this.repo.teamOf(owner)
          return team === null ? [] : this.repo.teamOperators(team)
        }
      ],
      ['campaign', () => this.repo.campaignOperators(campaignId, since)]
    ]
    for (const [step, candidates] of steps)
      for (const userId of candidates()) {
        if (this.ringing.has(userId) || !this.desk.isFree(userId, leadId)) continue
        const sipUser = this.repo.sipUserOf(userId)
        if (sipUser) return { userId, sipUser, step }
      }
    return null
  }

  private defaultCampaign(): number {
    return this.campaigns.list().find((c) => c.active && !c.training)?.id ?? 1
  }

  /** A routed call of this operator that is ringing (or answered, for the card), or NOT_FOUND. */
  private mine(user: User, callId: number): RoutedCall & { lead_id: number } {
    const c = this.repo.call(callId)
    if (!c || c.operator_id !== user.id || c.direction !== 'inbound' || c.lead_id === null)
      throw new AppError('NOT_FOUND')
    return c as RoutedCall & { lead_id: number }
  }

  /** The desk's phone rings with a routed call: its lead (for the card), while it still rings. */
  ringingFor(user: User, callId: number): RoutedCall & { lead_id: number } {
    const c = this.mine(user, callId)
    if (c.ended_at !== null) throw new AppError('CONFLICT', 'errors.inboundGone')
    return c
  }

  /** The operator answered the routed call. */
  answer(user: User, callId: number): RoutedCall & { lead_id: number } {
    const c = this.ringingFor(user, callId)
    const iso = this.now().toISOString()
    this.repo.transaction(() => {
      this.repo.answered(c.id, iso)
      const until = new Date(this.now().getTime() + this.settings().leaseMinutes * MIN).toISOString()
      this.repo.extendLease(c.lead_id, user.id, until)
    })
    this.ringing.delete(user.id)
    return c
  }

  /** The seat's phone stopped ringing unanswered (the customer hung up, the operator rejected it). */
  ended(callId: number, operatorId: number, cause: string): void {
    const c = this.repo.call(callId)
    if (!c || c.operator_id !== operatorId || c.direction !== 'inbound' || c.lead_id === null) return
    if (this.ringing.get(c.operator_id) === callId) this.ringing.delete(c.operator_id)
    if (c.answered_at !== null) return
    this.repo.transaction(() => {
      this.repo.endUnanswered(c.id, cause, this.now().toISOString())
      this.repo.giveBack(c.lead_id!, c.operator_id, this.now().toISOString())
      this.missed(c.lead_id!, c.campaign_id, this.repo.ownerOf(c.lead_id!) ?? c.operator_id, c.id, null, cause)
    })
  }

  /** Routed calls that rang far longer than a seat rings (a seat that went away while ringing) are missed. */
  sweep(): number {
    const s = this.settings().inbound
    const before = new Date(this.now().getTime() - (s.ringSeconds + 60) * 1000).toISOString()
    const stale = this.repo.ringingSince(before)
    for (const c of stale) this.ended(c.id, c.operator_id, 'no_answer')
    return stale.length
  }

  /** A return call nobody answered: a callback for the owner (or the campaign's, when nobody owns the lead). */
  private missed(
    leadId: number,
    campaignId: number,
    owner: number | null,
    callId: number | null,
    number: string | null,
    why: string
  ): void {
    const now = this.now()
    const iso = now.toISOString()
    const dueAt = new Date(now.getTime() + this.settings().inbound.missedCallbackMinutes * MIN).toISOString()
    this.repo.missedCallback({ leadId, campaignId, operatorId: owner, dueAt, note: '未接来电，请回拨', at: iso })
    this.desk.repo.leadEvent(leadId, iso, null, 'inbound_missed', { callId, number, why, dueAt })
    this.bus.publish('board.touched', { reason: 'inbound.missed' })
  }

  /** The wallboard's 未接来电. */
  missedCounts(): { waiting: number; overdue: number } {
    return this.repo.missedCounts(this.now().toISOString())
  }
}

/** The caller's number as the trunk gives it (+86…, 0086…, a mobile with a trunk 0), or null when it is none. */
export function callerNumber(
  raw: string,
  areaCode: string
): { phone: string; kind: 'mobile' | 'landline'; region: PhoneRegion | null; carrier: string | null } | null {
  const bare = raw.replace(/[^\d+]/g, '')
  let digits = bare.replace(/^(\+86|0086)/, '')
  // +86 771 5123456: the international form of a landline drops the trunk 0
  if (digits !== bare && !digits.startsWith('1')) digits = `0${digits}`
  if (/^01[3-9]\d{9}$/.test(digits)) digits = digits.slice(1)
  const c = checkPhone(digits, areaCode)
  if (isRefused(c)) return null
  return { phone: c.phone, kind: c.kind, region: c.region, carrier: c.carrier }
}
