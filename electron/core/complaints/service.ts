import type { Complaint, Input, Settings, User } from '../../../shared/contract'
import { atLocal, localTime } from '../../../shared/domain/calling-time'
import type { CoreDeps } from '../context'
import type { OutsideNotice } from '../domain-events'
import type { DncService } from '../dnc/service'
import { AppError } from '../errors'
import { phoneFor } from '../privacy'
import { ComplaintsRepo, type CaseRow } from './repo'

const DAY = 86_400_000
const OFFICE = new Set(['qa', 'supervisor', 'admin'])

/** Where a case comes from: a user's input, or a 回访 that found a problem. */
export type OpenCase = Input<'complaints.open'> & { followUpId?: number }

/**
 * 投诉: a complaint case from any call, the field or by hand, with its deadline (a decision within
 * `complaints.decisionDays` of receipt, once extendable with a reason to `extendedDays`), moved
 * received → handling → decided → closed (a closed case may be reopened), each step recorded and
 * audited. A 骚扰 complaint stops the number at once in every campaign, with the case as the source.
 */
export class ComplaintsService {
  readonly repo: ComplaintsRepo

  constructor(
    private deps: CoreDeps,
    private dnc: DncService,
    private settings: () => Settings,
    /** Outside systems are told of a case opened (webhooks). */
    private notify: OutsideNotice | null = null
  ) {
    this.repo = new ComplaintsRepo(deps.db)
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  toComplaint(r: CaseRow, user: User): Complaint {
    const s = this.settings()
    const now = this.now().toISOString()
    const callIds = JSON.parse(r.call_ids) as number[]
    return {
      id: r.id,
      phone: r.phone.startsWith('h:') ? '—' : phoneFor(r.phone, user.role, s),
      leadId: r.lead_id,
      customer: r.customer,
      category: r.category as Complaint['category'],
      channel: r.channel as Complaint['channel'],
      summary: r.summary,
      calls: this.repo.callsWithRecordings(callIds),
      followUpId: r.follow_up_id,
      operator: r.operator,
      supplier: r.supplier,
      ownerId: r.owner_id,
      owner: r.owner,
      state: r.state,
      receivedAt: r.received_at,
      dueAt: r.due_at,
      overdue: (r.state === 'received' || r.state === 'handling') && r.due_at < now,
      extendedAt: r.extended_at,
      extendReason: r.extend_reason,
      answerContact: r.answer_contact,
      decision: r.decision,
      decidedAt: r.decided_at,
      closedAt: r.closed_at,
      createdBy: r.created_by,
      createdAt: r.created_at,
      onDnc: !!r.on_dnc
    }
  }

  list(open: boolean, limit: number): CaseRow[] {
    return this.repo.list(open, this.now().toISOString(), limit)
  }

  get(id: number): CaseRow {
    const r = this.repo.get(id)
    if (!r) throw new AppError('NOT_FOUND')
    return r
  }

  /** Who the case is about, checked against what the user may see: an operator their own calls and leads, the field their visits. */
  private subject(
    user: User,
    input: OpenCase
  ): { phone: string; leadId: number | null; operatorId: number | null; batchId: number | null; callIds: number[] } {
    const office = OFFICE.has(user.role)
    const callIds: number[] = []
    let leadId: number | null = null
    let operatorId: number | null = null
    if (input.callId !== undefined) {
      const call = this.repo.call(input.callId)
      // an operator their own calls; the field the calls of their visits (the leader's district); the office any
      const field = user.role === 'field_agent' || user.role === 'leader'
      if (
        !call ||
        (user.role === 'operator' && call.operator_id !== user.id) ||
        (field &&
          (call.lead_id === null ||
            !this.repo.isFieldLead(call.lead_id, user.id, user.role === 'leader' ? user.districtCode : null)))
      )
        throw new AppError('NOT_FOUND')
      if (call.lead_id === null) throw new AppError('INVALID_INPUT', 'errors.complaintCallWithoutCustomer')
      callIds.push(call.id)
      leadId = call.lead_id
      operatorId = call.operator_id
    }
    if (input.leadId !== undefined) {
      if (leadId !== null && leadId !== input.leadId)
        throw new AppError('INVALID_INPUT', 'errors.complaintTwoCustomers')
      const mine =
        office ||
        (user.role === 'operator' && this.repo.isOperatorsLead(input.leadId, user.id)) ||
        ((user.role === 'field_agent' || user.role === 'leader') &&
          this.repo.isFieldLead(input.leadId, user.id, user.role === 'leader' ? user.districtCode : null))
      if (!mine || !this.repo.lead(input.leadId)) throw new AppError('NOT_FOUND')
      leadId = input.leadId
    }
    let phone: string
    let batchId: number | null = null
    if (leadId !== null) {
      const lead = this.repo.lead(leadId)!
      phone = lead.phone
      batchId = lead.batch_id
      if (input.phone !== undefined && this.dnc.phone(input.phone) !== phone)
        throw new AppError('INVALID_INPUT', 'errors.complaintTwoCustomers')
    } else {
      // by hand: a number typed by QA, a supervisor or an administrator
      if (input.phone === undefined) throw new AppError('INVALID_INPUT', 'errors.complaintCustomerRequired')
      if (!office) throw new AppError('FORBIDDEN')
      phone = this.dnc.phone(input.phone)
      const lead = this.repo.leadOfPhone(phone)
      if (lead) {
        leadId = lead.id
        batchId = lead.batch_id
      }
    }
    for (const id of input.callIds ?? []) {
      if (!office) throw new AppError('FORBIDDEN')
      const c = this.repo.call(id)
      if (!c || c.lead_id === null || c.lead_id !== leadId)
        throw new AppError('INVALID_INPUT', 'errors.complaintCallNotCustomers', { id })
      if (!callIds.includes(id)) callIds.push(id)
    }
    if (operatorId === null && leadId !== null) operatorId = this.repo.lastOperator(leadId) ?? null
    return { phone, leadId, operatorId, batchId, callIds }
  }

  open(user: User, input: OpenCase, source: string): Complaint {
    const s = this.settings()
    const now = this.now()
    const iso = now.toISOString()
    const today = localTime(now, s.timeZone).day
    if (input.receivedOn && input.receivedOn > today)
      throw new AppError('INVALID_INPUT', 'errors.complaintReceivedInFuture')
    const received = input.receivedOn && input.receivedOn < today ? atLocal(input.receivedOn, 0, s.timeZone) : now
    if (input.ownerId !== undefined && !this.repo.mayOwn(input.ownerId))
      throw new AppError('INVALID_INPUT', 'errors.complaintOwner')
    let id = 0
    this.repo.transaction(() => {
      const who = this.subject(user, input)
      id = this.repo.add({
        phone: who.phone,
        leadId: who.leadId,
        category: input.category,
        channel: input.channel,
        summary: input.summary,
        callIds: who.callIds,
        followUpId: input.followUpId ?? null,
        operatorId: who.operatorId,
        batchId: who.batchId,
        ownerId: input.ownerId ?? null,
        receivedAt: received.toISOString(),
        dueAt: new Date(received.getTime() + s.complaints.decisionDays * DAY).toISOString(),
        answerContact: input.answerContact ?? null,
        createdBy: user.id > 0 ? user.id : null,
        at: iso
      })
      this.repo.event(id, iso, user.id > 0 ? user.id : null, 'received', null)
      this.notify?.('complaint.opened', who.leadId, {
        complaintId: id,
        leadId: who.leadId,
        category: input.category,
        channel: input.channel,
        receivedAt: received.toISOString()
      })
      // 骚扰/频繁来电: the number is stopped at once, in every campaign, for good, with this case as its source
      if (input.category === 'harassment')
        this.dnc.put(
          who.phone,
          { source: 'complaint', reason: `#${id}`, where: { scope: 'all', ref: '', channel: 'all' }, days: null },
          user.id > 0 ? user.id : null,
          { complaintId: id }
        )
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'complaints.open',
        entity: 'complaint',
        entityId: id,
        details: {
          category: input.category,
          channel: input.channel,
          calls: who.callIds,
          followUpId: input.followUpId ?? null
        },
        source
      })
    })
    this.deps.events.emit('complaints.changed', { id })
    if (input.category === 'harassment') this.deps.events.emit('leads.changed', { reason: 'dnc' })
    return this.toComplaint(this.get(id), user)
  }

  move(user: User, input: Input<'complaints.move'>, source: string): Complaint {
    const iso = this.now().toISOString()
    this.repo.transaction(() => {
      const c = this.get(input.id)
      const bad = () => {
        throw new AppError('CONFLICT', 'errors.complaintStep', { from: c.state, to: input.to })
      }
      switch (input.to) {
        case 'handling':
          if (c.state !== 'received') bad()
          this.repo.update(c.id, {
            state: 'handling',
            ...(c.owner_id === null && user.id > 0 ? { owner_id: user.id } : {})
          })
          break
        case 'decided':
          if (c.state !== 'received' && c.state !== 'handling') bad()
          if (!input.decision) throw new AppError('INVALID_INPUT', 'errors.complaintDecisionRequired')
          this.repo.update(c.id, { state: 'decided', decision: input.decision, decided_at: iso })
          break
        case 'closed':
          if (c.state !== 'decided') bad()
          this.repo.update(c.id, { state: 'closed', closed_at: iso })
          break
        case 'reopened':
          if (c.state !== 'closed' && c.state !== 'decided') bad()
          if (!input.note) throw new AppError('INVALID_INPUT', 'errors.complaintReopenReason')
          this.repo.update(c.id, { state: 'handling', closed_at: null, decided_at: null })
          break
      }
      if (input.answerContact) this.repo.update(c.id, { answer_contact: input.answerContact })
      this.repo.event(c.id, iso, user.id > 0 ? user.id : null, input.to, input.decision ?? input.note ?? null)
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: `complaints.${input.to === 'reopened' ? 'reopen' : input.to === 'handling' ? 'handle' : input.to === 'decided' ? 'decide' : 'close'}`,
        entity: 'complaint',
        entityId: c.id,
        details: { from: c.state },
        source
      })
    })
    this.deps.events.emit('complaints.changed', { id: input.id })
    return this.toComplaint(this.get(input.id), user)
  }

  extend(user: User, input: Input<'complaints.extend'>, source: string): Complaint {
    const iso = this.now().toISOString()
    this.repo.transaction(() => {
      const c = this.get(input.id)
      if (c.state !== 'received' && c.state !== 'handling') throw new AppError('CONFLICT', 'errors.complaintNotOpen')
      if (c.extended_at) throw new AppError('CONFLICT', 'errors.complaintExtendedOnce')
      const due = new Date(
        new Date(c.received_at).getTime() + this.settings().complaints.extendedDays * DAY
      ).toISOString()
      this.repo.update(c.id, { due_at: due, extended_at: iso, extend_reason: input.reason })
      this.repo.event(c.id, iso, user.id > 0 ? user.id : null, 'extended', input.reason)
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'complaints.extend',
        entity: 'complaint',
        entityId: c.id,
        details: { dueAt: due },
        source
      })
    })
    this.deps.events.emit('complaints.changed', { id: input.id })
    return this.toComplaint(this.get(input.id), user)
  }

  assign(user: User, id: number, ownerId: number, source: string): void {
    this.get(id)
    if (!this.repo.mayOwn(ownerId)) throw new AppError('INVALID_INPUT', 'errors.complaintOwner')
    const iso = this.now().toISOString()
    this.repo.transaction(() => {
      this.repo.update(id, { owner_id: ownerId })
      this.repo.event(id, iso, user.id > 0 ? user.id : null, 'assigned', null)
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'complaints.assign',
        entity: 'complaint',
        entityId: id,
        details: { ownerId },
        source
      })
    })
    this.deps.events.emit('complaints.changed', { id })
  }

  report(from: string, to: string) {
    const r = this.repo.report(from, to, this.now().toISOString())
    const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10)
    return {
      total: r.byCategory.reduce((a, c) => a + c.n, 0),
      byCategory: Object.fromEntries(r.byCategory.map((c) => [c.category, c.n])),
      byOperator: r.byOperator,
      bySupplier: r.bySupplier,
      decided: r.decided.n,
      meanDaysToDecision: round(r.decided.mean),
      maxDaysToDecision: round(r.decided.max),
      decidedLate: r.decided.late,
      openOverdue: r.openOverdue
    }
  }
}
