import {
  customerCardSchema,
  EMPTY_CARD,
  type CustomerCard,
  type DeskLead,
  type Settings,
  type User
} from '../../../shared/contract'
import { regionText } from '../phone/geo'
import { localTime } from '../../../shared/domain/calling-time'
import { parseIdCard } from '../../../shared/domain/id-card'
import { leadAge } from '../../../shared/domain/age'
import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { idNoFor, phoneFor } from '../privacy'
import type { LeadRow } from './repo'
import type { DeskService } from './service'

/** The customer card (客户资料卡): the four groups of the source, previous calls, masked as the reader's role requires. */
export class CustomerCards {
  constructor(
    private deps: CoreDeps,
    private desk: DeskService,
    private campaigns: CampaignsService,
    private settings: () => Settings
  ) {}

  private get repo() {
    return this.desk.repo
  }

  /**
   * The customer card as a role may see it. `owedCall`: the operator's own call on this lead still
   * waits for its outcome (DeskService.unfinished decided it), so the card is theirs to close it
   * even when the lease ran out meanwhile.
   */
  card(user: User, leadId: number, opts: { owedCall?: boolean } = {}): DeskLead {
    const l = this.desk.lead(leadId)
    if (!opts.owedCall) this.mayRead(user, l)
    const s = this.settings()
    const campaign = this.campaigns.get(l.campaign_id)
    const district = l.district_code ? this.repo.districtName(l.district_code) : undefined
    const calls = this.repo.callsOfLead(l.id).map((c) => ({
      callId: c.id,
      at: c.started_at,
      operator: c.operator,
      outcome: c.label,
      notes: c.notes,
      durationMs: Math.round(c.ms),
      recordingId: c.recording_id,
      simulated: c.line === 'simulated',
      shownNumber: c.shown_number
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
      phoneRegion: regionText(l.phone_province, l.phone_city),
      phoneCarrier: l.phone_carrier ?? '',
      name: l.name,
      gender: l.gender,
      birthDate: l.birth_date,
      ...leadAge(l.birth_date, l.stated_age, l.created_at, localTime(this.deps.clock.now(), s.timeZone).day),
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

  /** Operators see their own leads (leads/ownership.ts); QA and managers see all. */
  private mayRead(user: User, l: LeadRow): void {
    if (user.role !== 'operator') return
    if (!this.repo.isOperatorsLead(l.id, user.id)) throw new AppError('FORBIDDEN')
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
    const l = this.desk.lead(input.leadId)
    if (user.role === 'operator' && l.lease_by !== user.id && l.owner_id !== user.id) throw new AppError('FORBIDDEN')
    let { gender, birthDate } = input
    let idNo: string | undefined
    if (input.idNo !== undefined && input.idNo !== '') {
      const p = parseIdCard(input.idNo, localTime(this.deps.clock.now(), this.settings().timeZone).day)
      if ('problem' in p) throw new AppError('INVALID_INPUT', `errors.idCard.${p.problem}`)
      // The ID number decides birth date and gender.
      idNo = p.idNo
      gender = p.gender
      birthDate = p.birthDate
    }
    const set: [column: string, value: string | null][] = []
    const put = (col: string, v: string | null | undefined) => {
      if (v !== undefined) set.push([col, v === '' ? null : v])
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
    const iso = this.deps.clock.now().toISOString()
    this.repo.transaction(() => {
      this.repo.updateLeadFields(l.id, set, iso)
      this.repo.leadEvent(l.id, iso, user.id, 'card', { fields: set.map(([column]) => column) })
    })
  }
}
