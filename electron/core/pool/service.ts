import type Database from 'better-sqlite3'
import { poolRulesSchema, type AllocationPlan, type PoolRules } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'

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

/** Statuses of a lead that sits in someone's private pool waiting for work. */
const HELD = "('allocated', 'callback')"

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
  constructor(private deps: CoreDeps) {}

  private get db(): Database.Database {
    return this.deps.db
  }

  rules(campaignId: number): PoolRules {
    const raw = this.db.prepare('SELECT rules FROM campaigns WHERE id = ?').pluck().get(campaignId) as
      string | undefined
    if (raw === undefined) throw new AppError('NOT_FOUND')
    const parsed = poolRulesSchema.safeParse({ ...DEFAULT_POOL_RULES, ...(JSON.parse(raw) as object) })
    return parsed.success ? parsed.data : DEFAULT_POOL_RULES
  }

  setRules(campaignId: number, patch: Partial<PoolRules>): PoolRules {
    const next = poolRulesSchema.parse({ ...this.rules(campaignId), ...patch })
    this.db.prepare('UPDATE campaigns SET rules = ? WHERE id = ?').run(JSON.stringify(next), campaignId)
    return next
  }

  held(userId: number): number {
    return this.db
      .prepare(`SELECT count(*) FROM leads WHERE owner_id = ? AND status IN ${HELD}`)
      .pluck()
      .get(userId) as number
  }

  /**
   * The day's batches: each operator is topped up to `perOperator` leads for the day (never past
   * what they may hold). Leads come from the public pool (new, unowned), oldest first within a
   * source, the sources interleaved, and dealt round the operators so each gets the same mix of
   * sources and ages. Deterministic, so the preview is what a commit does on an unchanged pool.
   */
  plan(input: PlanInput): AllocationPlan & { assignments: { operatorId: number; leadId: number }[] } {
    const { db } = this
    const rules = this.rules(input.campaignId)
    const ops = (
      input.operatorIds?.length
        ? db
            .prepare(
              `SELECT id, display_name FROM users WHERE role = 'operator' AND disabled = 0 AND id IN (${input.operatorIds.map(() => '?').join(',')}) ORDER BY id`
            )
            .all(...input.operatorIds)
        : db.prepare("SELECT id, display_name FROM users WHERE role = 'operator' AND disabled = 0 ORDER BY id").all()
    ) as { id: number; display_name: string }[]
    const already = db.prepare('SELECT count(*) FROM allocations WHERE operator_id = ? AND day = ?').pluck()
    const wants = ops.map((o) => {
      const have = already.get(o.id, input.day) as number
      const room = Math.max(0, rules.maxHeld - this.held(o.id))
      return { op: o, already: have, want: Math.max(0, Math.min(input.perOperator - have, room)) }
    })
    const need = wants.reduce((s, w) => s + w.want, 0)

    // Candidates per source, oldest first, from the campaign's public pool.
    const batches = (
      input.batchIds?.length
        ? db
            .prepare(
              `SELECT id, source FROM import_batches WHERE campaign_id = ? AND id IN (${input.batchIds.map(() => '?').join(',')}) ORDER BY id`
            )
            .all(input.campaignId, ...input.batchIds)
        : db.prepare('SELECT id, source FROM import_batches WHERE campaign_id = ? ORDER BY id').all(input.campaignId)
    ) as { id: number; source: string }[]
    const pick = db
      .prepare("SELECT id FROM leads WHERE batch_id = ? AND status = 'new' AND owner_id IS NULL ORDER BY id LIMIT ?")
      .pluck()
    const bySource = new Map<string, Candidate[]>()
    for (const b of batches) {
      const list = bySource.get(b.source) ?? []
      if (list.length >= need) continue
      for (const id of pick.all(b.id, need - list.length) as number[]) list.push({ id, source: b.source })
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
    const ins = this.db.prepare(
      'INSERT INTO allocations (lead_id, operator_id, day, allocated_by, allocated_at) VALUES (?, ?, ?, ?, ?)'
    )
    // Only a lead still new and unowned changes hands: a lead cannot be given twice.
    const take = this.db.prepare(
      "UPDATE leads SET status = 'allocated', owner_id = ?, owned_since = ?, updated_at = ? WHERE id = ? AND status = 'new' AND owner_id IS NULL"
    )
    return this.db
      .transaction(() => {
        const plan = this.plan(input)
        for (const a of plan.assignments) {
          if (take.run(a.operatorId, now, now, a.leadId).changes !== 1) throw new AppError('CONFLICT')
          ins.run(a.leadId, a.operatorId, input.day, byUserId, now)
        }
        const { assignments: _assignments, ...view } = plan
        return view
      })
      .immediate()
  }

  claim(leadId: number, userId: number): void {
    const now = this.deps.clock.now()
    this.db
      .transaction(() => {
        const lead = this.db.prepare('SELECT id, campaign_id, status, owner_id FROM leads WHERE id = ?').get(leadId) as
          { id: number; campaign_id: number; status: string; owner_id: number | null } | undefined
        if (!lead) throw new AppError('NOT_FOUND')
        const rules = this.rules(lead.campaign_id)
        if (!rules.allowPublicClaim) throw new AppError('FORBIDDEN', 'errors.publicClaimOff')
        if (lead.owner_id !== null || lead.status !== 'new') throw new AppError('CONFLICT', 'errors.leadNotPublic')
        if (this.held(userId) >= rules.maxHeld) throw new AppError('CONFLICT', 'errors.holdCap', { max: rules.maxHeld })
        const dayStart = now.toISOString().slice(0, 10)
        const claimedToday = this.db
          .prepare("SELECT count(*) FROM lead_events WHERE user_id = ? AND kind = 'claimed' AND at >= ?")
          .pluck()
          .get(userId, dayStart) as number
        if (claimedToday >= rules.dailyClaimCap)
          throw new AppError('CONFLICT', 'errors.claimCap', { max: rules.dailyClaimCap })
        const lastRecall = this.db
          .prepare(
            "SELECT at FROM lead_events WHERE lead_id = ? AND kind = 'recalled' AND json_extract(details, '$.from') = ? ORDER BY id DESC LIMIT 1"
          )
          .pluck()
          .get(leadId, userId) as string | undefined
        if (lastRecall) {
          const until = new Date(new Date(lastRecall).getTime() + rules.cooldownDays * DAY)
          if (until > now)
            throw new AppError('CONFLICT', 'errors.cooldown', {
              until: until.toISOString().slice(0, 16).replace('T', ' ')
            })
        }
        const iso = now.toISOString()
        this.db
          .prepare("UPDATE leads SET owner_id = ?, status = 'allocated', owned_since = ?, updated_at = ? WHERE id = ?")
          .run(userId, iso, iso, leadId)
        this.event(leadId, userId, 'claimed', null)
      })
      .immediate()
  }

  release(leadId: number, userId: number): void {
    this.db.transaction(() => {
      const iso = this.deps.clock.now().toISOString()
      const r = this.db
        .prepare(
          `UPDATE leads SET owner_id = NULL, status = 'new', owned_since = NULL, updated_at = ? WHERE id = ? AND owner_id = ? AND status IN ${HELD}`
        )
        .run(iso, leadId, userId)
      if (r.changes !== 1) throw new AppError('NOT_FOUND')
      this.event(leadId, userId, 'released', null)
    })()
  }

  /** When each held lead falls due for recall under its campaign's rules. */
  private dueSql(): string {
    return `SELECT l.id, l.name, l.owner_id, c.rules,
              coalesce(l.last_follow_up_at, l.owned_since) AS follow_base,
              coalesce(l.last_progress_at, l.owned_since) AS progress_base
            FROM leads l JOIN campaigns c ON c.id = l.campaign_id
            WHERE l.owner_id IS NOT NULL AND l.status IN ${HELD}`
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
    const rows = this.db.prepare(`${this.dueSql()} AND l.owner_id = ?`).all(userId) as {
      id: number
      name: string | null
      rules: string
      follow_base: string
      progress_base: string
    }[]
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
    const rows = this.db.prepare(this.dueSql()).all() as {
      id: number
      owner_id: number
      rules: string
      follow_base: string
      progress_base: string
    }[]
    const due = rows.map((r) => ({ r, d: this.dueAt(r) })).filter(({ d }) => d.at <= now)
    if (!due.length) return 0
    const upd = this.db.prepare(
      "UPDATE leads SET owner_id = NULL, status = 'new', owned_since = NULL, updated_at = ? WHERE id = ? AND owner_id = ?"
    )
    this.db.transaction(() => {
      for (const { r, d } of due) {
        upd.run(now.toISOString(), r.id, r.owner_id)
        this.event(r.id, null, 'recalled', { from: r.owner_id, reason: d.reason })
      }
    })()
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
    return this.db.transaction(() => {
      if (toUserId !== null) {
        const to = this.db.prepare('SELECT role, disabled FROM users WHERE id = ?').get(toUserId) as
          { role: string; disabled: number } | undefined
        if (!to || to.role !== 'operator' || to.disabled) throw new AppError('INVALID_INPUT', 'errors.handoverTarget')
      }
      const ids = this.db
        .prepare(`SELECT id FROM leads WHERE owner_id = ? AND status IN ${HELD}`)
        .pluck()
        .all(fromUserId) as number[]
      const upd =
        toUserId === null
          ? this.db.prepare(
              "UPDATE leads SET owner_id = NULL, status = 'new', owned_since = NULL, updated_at = ? WHERE id = ?"
            )
          : this.db.prepare('UPDATE leads SET owner_id = ?, owned_since = ?, updated_at = ? WHERE id = ?')
      for (const id of ids) {
        if (toUserId === null) upd.run(now, id)
        else upd.run(toUserId, now, now, id)
        this.event(id, byUserId, 'handover', { from: fromUserId, to: toUserId })
      }
      // Today's and later batches follow the leads.
      const alloc =
        toUserId === null
          ? this.db.prepare('DELETE FROM allocations WHERE operator_id = ? AND day >= ?').run(fromUserId, today)
          : this.db
              .prepare('UPDATE OR IGNORE allocations SET operator_id = ? WHERE operator_id = ? AND day >= ?')
              .run(toUserId, fromUserId, today)
      return { leads: ids.length, allocations: alloc.changes }
    })()
  }

  private event(leadId: number, userId: number | null, kind: string, details: Record<string, unknown> | null): void {
    this.db
      .prepare('INSERT INTO lead_events (lead_id, at, user_id, kind, details) VALUES (?, ?, ?, ?, ?)')
      .run(leadId, this.deps.clock.now().toISOString(), userId, kind, details ? JSON.stringify(details) : null)
  }
}
