import { poolRulesSchema, type AllocationPlan, type PoolRules } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { PoolRepo } from './repo'

const DAY = 86_400_000

export const DEFAULT_POOL_RULES: PoolRules = {
  maxHeld: 300,
  dailyClaimCap: 30,
  recallNoFollowUpDays: 7,
  recallNoProgressDays: 30,
  warnDaysBefore: 1,
  cooldownDays: 3,
  allowPublicClaim: true
}

interface PlanInput {
  day: string
  perOperator: number
  operatorIds?: number[]
  campaignId: number
  batchIds?: number[]
}

interface Candidate {
  id: number
  source: string
}

export class PoolService {
  readonly repo: PoolRepo

  constructor(private deps: CoreDeps) {
    this.repo = new PoolRepo(deps.db)
  }

  rules(campaignId: number): PoolRules {
    const raw = this.repo.rules(campaignId)
    if (raw === undefined) throw new AppError('NOT_FOUND')
    const parsed = poolRulesSchema.safeParse({ ...DEFAULT_POOL_RULES, ...(JSON.parse(raw) as object) })
    return parsed.success ? parsed.data : DEFAULT_POOL_RULES
  }

  setRules(campaignId: number, patch: Partial<PoolRules>): PoolRules {
    const next = poolRulesSchema.parse({ ...this.rules(campaignId), ...patch })
    this.repo.setRules(campaignId, JSON.stringify(next))
    return next
  }

  held(userId: number): number {
    return this.repo.held(userId)
  }

  /**
   * The day's batches: each operator is topped up to `perOperator` leads for the day (never past
   * what they may hold). Leads come from the public pool (new, unowned), oldest first within a
   * source, the sources interleaved, and dealt round the operators so each gets the same mix of
   * sources and ages. Deterministic, so the preview is what a commit does on an unchanged pool.
   */
  plan(input: PlanInput): AllocationPlan & { assignments: { operatorId: number; leadId: number }[] } {
    const rules = this.rules(input.campaignId)
    const ops = this.repo.operators(input.operatorIds)
    const wants = ops.map((o) => {
      const have = this.repo.allocatedOn(o.id, input.day)
      const room = Math.max(0, rules.maxHeld - this.held(o.id))
      return { op: o, already: have, want: Math.max(0, Math.min(input.perOperator - have, room)) }
    })
    const need = wants.reduce((s, w) => s + w.want, 0)

    // Candidates per source, oldest first, from the campaign's public pool.
    const batches = this.repo.batches(input.campaignId, input.batchIds)
    const bySource = new Map<string, Candidate[]>()
    for (const b of batches) {
      const list = bySource.get(b.source) ?? []
      if (list.length >= need) continue
      for (const id of this.repo.publicLeads(b.id, need - list.length)) list.push({ id, source: b.source })
      bySource.set(b.source, list)
    }
    const queues = [...bySource.values()].filter((q) => q.length)
    const mixed: Candidate[] = []
    for (let i = 0; mixed.length < need && queues.some((q) => i < q.length); i++) {
      for (const q of queues) if (i < q.length && mixed.length < need) mixed.push(q[i])
    }

    // Deal round the operators who still want leads.
    const assignments: { operatorId: number; leadId: number }[] = []
    const got = new Map<number, Record<string, number>>(wants.map((w) => [w.op.id, {}]))
    const left = new Map(wants.map((w) => [w.op.id, w.want]))
    let k = 0
    // Each round starts one operator further on, so sources interleaved A,B,C do not all land
    // A on the first operator, B on the second ...
    for (let round = 0; k < mixed.length && [...left.values()].some((n) => n > 0); round++) {
      for (let j = 0; j < wants.length; j++) {
        const w = wants[(j + round) % wants.length]
        if (k >= mixed.length) break
        if ((left.get(w.op.id) ?? 0) <= 0) continue
        const c = mixed[k++]
        assignments.push({ operatorId: w.op.id, leadId: c.id })
        left.set(w.op.id, left.get(w.op.id)! - 1)
        const m = got.get(w.op.id)!
        m[c.source] = (m[c.source] ?? 0) + 1
      }
    }
    return {
      day: input.day,
      perOperator: input.perOperator,
      available: mixed.length,
      operators: wants.map((w) => ({
        operatorId: w.op.id,
        name: w.op.display_name,
        already: w.already,
        adding: w.want - (left.get(w.op.id) ?? 0),
        bySource: got.get(w.op.id)!
      })),
      total: assignments.length,
      shortage: need - assignments.length,
      assignments
    }
  }

  commit(input: PlanInput, byUserId: number): AllocationPlan {
    const now = this.deps.clock.now().toISOString()
    return this.repo.transaction(() => {
      const plan = this.plan(input)
      for (const a of plan.assignments)
        if (!this.repo.allocate(a.leadId, a.operatorId, input.day, byUserId, now)) throw new AppError('CONFLICT')
      const { assignments: _assignments, ...view } = plan
      return view
    }, 'immediate')
  }

  claim(leadId: number, userId: number): void {
    const now = this.deps.clock.now()
    this.repo.transaction(() => {
      const lead = this.repo.lead(leadId)
      if (!lead) throw new AppError('NOT_FOUND')
      const rules = this.rules(lead.campaign_id)
      if (!rules.allowPublicClaim) throw new AppError('FORBIDDEN', 'errors.publicClaimOff')
      if (lead.owner_id !== null || lead.status !== 'new') throw new AppError('CONFLICT', 'errors.leadNotPublic')
      if (this.held(userId) >= rules.maxHeld) throw new AppError('CONFLICT', 'errors.holdCap', { max: rules.maxHeld })
      const dayStart = now.toISOString().slice(0, 10)
      const claimedToday = this.repo.claimsSince(userId, dayStart)
      if (claimedToday >= rules.dailyClaimCap)
        throw new AppError('CONFLICT', 'errors.claimCap', { max: rules.dailyClaimCap })
      const lastRecall = this.repo.lastRecallFrom(leadId, userId)
      if (lastRecall) {
        const until = new Date(new Date(lastRecall).getTime() + rules.cooldownDays * DAY)
        if (until > now)
          throw new AppError('CONFLICT', 'errors.cooldown', {
            until: until.toISOString().slice(0, 16).replace('T', ' ')
          })
      }
      const iso = now.toISOString()
      this.repo.own(leadId, userId, iso)
      this.event(leadId, userId, 'claimed', null)
    }, 'immediate')
  }

  release(leadId: number, userId: number): void {
    this.repo.transaction(() => {
      if (!this.repo.toPublic(leadId, userId, this.deps.clock.now().toISOString())) throw new AppError('NOT_FOUND')
      this.event(leadId, userId, 'released', null)
    })
  }

  private dueAt(row: { rules: string; follow_base: string; progress_base: string }): {
    at: Date
    reason: 'noFollowUp' | 'noProgress'
  } {
    const r = { ...DEFAULT_POOL_RULES, ...(JSON.parse(row.rules) as Partial<PoolRules>) }
    const a = new Date(new Date(row.follow_base).getTime() + r.recallNoFollowUpDays * DAY)
    const b = new Date(new Date(row.progress_base).getTime() + r.recallNoProgressDays * DAY)
    return a <= b ? { at: a, reason: 'noFollowUp' } : { at: b, reason: 'noProgress' }
  }

  warnings(
    userId: number
  ): { leadId: number; name: string | null; recallAt: string; reason: 'noFollowUp' | 'noProgress' }[] {
    const now = this.deps.clock.now().getTime()
    const rows = this.repo.due(userId)
    return rows
      .map((r) => ({
        r,
        due: this.dueAt(r),
        warn: (JSON.parse(r.rules) as Partial<PoolRules>).warnDaysBefore ?? DEFAULT_POOL_RULES.warnDaysBefore
      }))
      .filter(({ due, warn }) => due.at.getTime() - now <= warn * DAY)
      .map(({ r, due }) => ({ leadId: r.id, name: r.name, recallAt: due.at.toISOString(), reason: due.reason }))
      .sort((a, b) => a.recallAt.localeCompare(b.recallAt))
  }

  /** Sends leads nobody followed up back to the public pool. */
  recall(): number {
    const now = this.deps.clock.now()
    const rows = this.repo.due()
    const due = rows.map((r) => ({ r, d: this.dueAt(r) })).filter(({ d }) => d.at <= now)
    if (!due.length) return 0
    this.repo.transaction(() => {
      for (const { r, d } of due) {
        this.repo.recall(r.id, r.owner_id, now.toISOString())
        this.event(r.id, null, 'recalled', { from: r.owner_id, reason: d.reason })
      }
    })
    this.deps.audit.write({
      userId: null,
      username: null,
      action: 'pool.recall',
      details: { recalled: due.length },
      source: 'system'
    })
    this.deps.events.emit('leads.changed', { reason: 'recall' })
    return due.length
  }

  /** Everything an operator holds goes to another operator, or back to the public pool, in one step. */
  handover(fromUserId: number, toUserId: number | null, byUserId: number): { leads: number; allocations: number } {
    const now = this.deps.clock.now().toISOString()
    const today = now.slice(0, 10)
    return this.repo.transaction(() => {
      if (toUserId !== null) {
        const to = this.repo.user(toUserId)
        if (!to || to.role !== 'operator' || to.disabled) throw new AppError('INVALID_INPUT', 'errors.handoverTarget')
      }
      const ids = this.repo.heldLeads(fromUserId)
      for (const id of ids) {
        if (toUserId === null) this.repo.toPublic(id, null, now)
        else this.repo.giveTo(id, toUserId, now)
        this.event(id, byUserId, 'handover', { from: fromUserId, to: toUserId })
      }
      // Today's and later batches follow the leads.
      return { leads: ids.length, allocations: this.repo.moveAllocations(fromUserId, toUserId, today) }
    })
  }

  private event(leadId: number, userId: number | null, kind: string, details: Record<string, unknown> | null): void {
    this.repo.leadEvent(leadId, this.deps.clock.now().toISOString(), userId, kind, details)
  }
}
