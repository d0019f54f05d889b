import { randomInt } from 'node:crypto'
import type Database from 'better-sqlite3'
import {
  scorecardBodySchema,
  type Annotation,
  type CallMetrics,
  type LibraryFilter,
  type LibraryRow,
  type QaRule,
  type Review,
  type Scorecard,
  type ScorecardBody,
  type Settings,
  type User,
  type Verdict
} from '../../../shared/contract'
import { localTime } from '../../../shared/domain/calling-time'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { phoneFor } from '../privacy'
import { analysePeaks } from '../recordings/analysis'
import type { CampaignsService } from '../campaigns/service'

const MIN = 60_000
/** A claim lasts this long; opening the review again renews it. */
export const CLAIM_MS = 30 * MIN

/** The scorecard a campaign starts with (all editable): the rules' musts fail a call on their own. */
export const DEFAULT_SCORECARD: ScorecardBody = {
  title: '电销通话质检评分表',
  passMark: 80,
  items: [
    {
      id: 'identity',
      group: '开场',
      title: '报出姓名和工号',
      points: 10,
      autoFail: false,
      check: 'manual',
      hint: '人身保险电话销售服务规范：开场告知姓名、工号'
    },
    {
      id: 'steps',
      group: '开场',
      title: '必说环节齐全（身份说明、录音告知、信息授权）',
      points: 15,
      autoFail: false,
      check: 'mandatorySteps'
    },
    { id: 'needs', group: '沟通', title: '了解客户需求，不强行推销', points: 15, autoFail: false, check: 'manual' },
    {
      id: 'listening',
      group: '沟通',
      title: '耐心倾听，不抢话、不打断',
      points: 15,
      autoFail: false,
      check: 'manual',
      hint: '参考抢话时长与最长独白'
    },
    { id: 'accuracy', group: '合规', title: '产品介绍准确', points: 20, autoFail: false, check: 'manual' },
    {
      id: 'misleading',
      group: '合规',
      title: '夸大收益、承诺保本或误导退保',
      points: 0,
      autoFail: true,
      check: 'manual',
      hint: '一经发现，整通电话不合格'
    },
    {
      id: 'consent',
      group: '合规',
      title: '约访成功时未取得客户同意共享个人信息',
      points: 0,
      autoFail: true,
      check: 'manual',
      hint: '个人信息保护法：向地面人员提供客户信息须经同意'
    },
    { id: 'attitude', group: '服务', title: '语气礼貌，用语规范', points: 15, autoFail: false, check: 'manual' },
    { id: 'closing', group: '服务', title: '结束语与约定事项复述', points: 10, autoFail: false, check: 'manual' }
  ]
}

interface MetricsRow {
  operator_talk_share: number
  customer_talk_share: number
  silence_share: number
  longest_silence_ms: number
  talk_over_share: number
  talk_over_ms: number
  longest_monologue_ms: number
  first_customer_word_ms: number | null
  hung_up_by: CallMetrics['hungUpBy']
}

function toMetrics(m: MetricsRow): CallMetrics {
  return {
    operatorTalkShare: m.operator_talk_share,
    customerTalkShare: m.customer_talk_share,
    silenceShare: m.silence_share,
    longestSilenceMs: m.longest_silence_ms,
    talkOverShare: m.talk_over_share,
    talkOverMs: m.talk_over_ms,
    longestMonologueMs: m.longest_monologue_ms,
    firstCustomerWordMs: m.first_customer_word_ms,
    hungUpBy: m.hung_up_by
  }
}

/** Library rows: one recording with its call, lead, outcome, review, queue entry and metrics. */
const LIBRARY_FROM = `
  FROM recordings r
  JOIN calls c ON c.id = r.call_id
  JOIN users u ON u.id = r.operator_id
  LEFT JOIN campaigns cp ON cp.id = c.campaign_id
  LEFT JOIN leads l ON l.id = c.lead_id
  LEFT JOIN outcomes o ON o.call_id = c.id
  LEFT JOIN districts d ON d.code = coalesce(o.district_code, l.district_code)
  LEFT JOIN qa_reviews v ON v.call_id = c.id
  LEFT JOIN qa_queue q ON q.call_id = c.id
  LEFT JOIN recording_metrics m ON m.recording_id = r.id`
const LIBRARY_COLUMNS = `r.id AS recording_id, c.id AS call_id, r.started_at, r.duration_ms, r.state, c.line, c.direction, r.operator_id, u.display_name AS operator_name,
  cp.name AS campaign_name, c.lead_id, l.name AS customer_name, l.phone, o.label AS outcome, coalesce(o.success, 0) AS success, d.name AS district,
  v.verdict, v.state AS review_state, q.state AS queue_state, q.reasons, q.claimed_by, q.claimed_until,
  m.operator_talk_share, m.customer_talk_share, m.silence_share, m.longest_silence_ms, m.talk_over_share, m.talk_over_ms, m.longest_monologue_ms, m.first_customer_word_ms, m.hung_up_by`
/** The QA state of a library row, in SQL (for the filter) — the same rule as qaState() below. */
const QA_STATE_SQL = `CASE WHEN v.id IS NOT NULL AND v.state <> 'reopened' THEN v.verdict
  WHEN q.state = 'open' AND q.claimed_by IS NOT NULL AND q.claimed_until > @now THEN 'claimed'
  WHEN q.state = 'open' THEN 'queued' ELSE 'none' END`
const SORT_SQL: Record<string, string> = {
  startedAt: 'r.started_at',
  durationMs: 'r.duration_ms',
  talkOverShare: 'm.talk_over_share',
  silenceShare: 'm.silence_share',
  longestMonologueMs: 'm.longest_monologue_ms',
  operatorTalkShare: 'm.operator_talk_share'
}

type LibraryDbRow = Partial<MetricsRow> & {
  recording_id: number
  call_id: number
  started_at: string
  duration_ms: number
  state: LibraryRow['state']
  line: LibraryRow['line']
  direction: LibraryRow['direction']
  operator_id: number
  operator_name: string
  campaign_name: string | null
  lead_id: number | null
  customer_name: string | null
  phone: string | null
  outcome: string | null
  success: number
  district: string | null
  verdict: Verdict | null
  review_state: string | null
  queue_state: string | null
  reasons: string | null
  claimed_by: number | null
  claimed_until: string | null
}

interface ReviewRow {
  id: number
  call_id: number
  recording_id: number
  operator_id: number
  reviewer_id: number
  scorecard_id: number
  scores: string
  total: number
  max: number
  auto_failed: number
  verdict: Verdict
  comment: string | null
  state: Review['state']
  created_at: string
  updated_at: string
  operator_name: string
  reviewer_name: string
}

export class QaService {
  private db: Database.Database
  /** Told when a success passes the gate (dispatch takes it then). */
  onGatePassed: (leadId: number) => void = () => {}

  constructor(
    private deps: CoreDeps,
    private campaigns: CampaignsService,
    private settings: () => Settings
  ) {
    this.db = deps.db
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  // ——— metrics and the review queue ———

  /** A recording closed: its metrics are computed from the stored peaks, then the queue rules run. */
  recordingClosed(recordingId: number): void {
    const r = this.db
      .prepare(
        'SELECT r.peaks, r.peaks_per_sec, r.call_id, c.end_cause FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.id = ?'
      )
      .get(recordingId) as
      { peaks: Buffer | null; peaks_per_sec: number; call_id: number; end_cause: string | null } | undefined
    if (!r) return
    const a = analysePeaks(r.peaks ?? Buffer.alloc(0), r.peaks_per_sec)
    const hungUpBy = r.end_cause === 'operator' || r.end_cause === 'customer' ? r.end_cause : 'unknown'
    this.db
      .prepare(
        `INSERT OR REPLACE INTO recording_metrics (recording_id, operator_talk_share, customer_talk_share, silence_share, longest_silence_ms, talk_over_share, talk_over_ms, longest_monologue_ms, first_customer_word_ms, hung_up_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        recordingId,
        a.operatorTalkShare,
        a.customerTalkShare,
        a.silenceShare,
        a.longestSilenceMs,
        a.talkOverShare,
        a.talkOverMs,
        a.longestMonologueMs,
        a.firstCustomerWordMs,
        hungUpBy
      )
    this.consider(r.call_id)
  }

  /** The metrics of a recording (computed now if it closed before metrics were kept). */
  metrics(recordingId: number): CallMetrics {
    let m = this.db.prepare('SELECT * FROM recording_metrics WHERE recording_id = ?').get(recordingId) as
      MetricsRow | undefined
    if (!m) {
      this.recordingClosed(recordingId)
      m = this.db.prepare('SELECT * FROM recording_metrics WHERE recording_id = ?').get(recordingId) as MetricsRow
    }
    return toMetrics(m)
  }

  /**
   * The queue rules for one call, run when its recording closes and when its outcome is saved
   * (whichever comes last has both): every success, the weekly sample, the metric rules.
   * Simulated calls (training) are queued only when a success of theirs waits at the gate.
   */
  consider(callId: number): void {
    const c = this.db
      .prepare(
        `SELECT c.id, c.operator_id, c.campaign_id, c.line, c.qa_sampled, c.started_at, r.state AS rec_state, r.id AS recording_id, o.success, o.id AS outcome_id
         FROM calls c LEFT JOIN recordings r ON r.call_id = c.id LEFT JOIN outcomes o ON o.call_id = c.id WHERE c.id = ?`
      )
      .get(callId) as
      | {
          id: number
          operator_id: number
          campaign_id: number | null
          line: string
          qa_sampled: number | null
          started_at: string
          rec_state: string | null
          recording_id: number | null
          success: number | null
          outcome_id: number | null
        }
      | undefined
    if (!c || !c.recording_id || c.rec_state === 'recording') return
    const qa = this.campaigns.get(c.campaign_id ?? 1).settings.qa
    const gated =
      this.db
        .prepare(
          "SELECT 1 FROM leads l JOIN outcomes o ON o.lead_id = l.id WHERE o.call_id = ? AND l.qa_gate = 'pending'"
        )
        .get(callId) !== undefined
    // A success waiting at the gate is reviewed whatever line it was made on; the rules below are for real calls.
    if (c.success === 1 && (gated || (qa.reviewSuccesses && c.line !== 'simulated')))
      this.enqueue(callId, 'success', gated ? 1 : 0)
    if (c.line === 'simulated') return
    const m = this.db.prepare('SELECT * FROM recording_metrics WHERE recording_id = ?').get(c.recording_id) as
      MetricsRow | undefined
    if (m) {
      const metrics = toMetrics(m)
      for (const rule of qa.rules)
        if (matches(rule, metrics))
          this.enqueue(callId, `metric:${rule.metric}${rule.op === 'gt' ? '>' : '<'}${rule.value}`)
    }
    // The sample: other calls with an outcome, each counted once in its operator's week.
    if (c.outcome_id !== null && c.success !== 1 && c.qa_sampled === null) {
      const picked = this.drawSample(c.operator_id, c.started_at, qa.samplePercent)
      this.db.prepare('UPDATE calls SET qa_sampled = ? WHERE id = ?').run(picked ? 1 : 0, callId)
      if (picked) this.enqueue(callId, 'sample')
    }
  }

  /**
   * One in each block of round(100 / percent) calls of an operator's week, at a position drawn
   * at random per operator and week: the share is exact, and nobody can tell which call it is.
   */
  private drawSample(operatorId: number, startedAt: string, percent: number): boolean {
    if (percent <= 0) return false
    const l = localTime(new Date(startedAt), this.settings().timeZone)
    const monday = new Date(Date.parse(`${l.day}T00:00:00Z`) - (l.weekday - 1) * 24 * 60 * MIN)
      .toISOString()
      .slice(0, 10)
    this.db
      .prepare('INSERT OR IGNORE INTO qa_sample_weeks (operator_id, week, seed) VALUES (?, ?, ?)')
      .run(operatorId, monday, randomInt(0, 2 ** 31))
    const w = this.db
      .prepare('UPDATE qa_sample_weeks SET seen = seen + 1 WHERE operator_id = ? AND week = ? RETURNING seen, seed')
      .get(operatorId, monday) as { seen: number; seed: number }
    const block = Math.max(1, Math.round(100 / percent))
    const n = w.seen - 1
    const k = Math.floor(n / block)
    // a different position in every block, from the week's seed
    const position = Math.abs(Math.imul(w.seed ^ (k + 1), 2654435761) ^ (w.seed >>> 7)) % block
    const picked = n % block === position
    if (picked)
      this.db
        .prepare('UPDATE qa_sample_weeks SET sampled = sampled + 1 WHERE operator_id = ? AND week = ?')
        .run(operatorId, monday)
    return picked
  }

  /** Puts a call in the queue for a reason (or adds the reason to its entry). */
  enqueue(callId: number, reason: string, priority = 0): void {
    const e = this.db.prepare('SELECT reasons, priority FROM qa_queue WHERE call_id = ?').get(callId) as
      { reasons: string; priority: number } | undefined
    if (!e) {
      this.db
        .prepare('INSERT INTO qa_queue (call_id, reasons, added_at, priority) VALUES (?, ?, ?, ?)')
        .run(callId, JSON.stringify([reason]), this.now().toISOString(), priority)
    } else {
      const reasons = JSON.parse(e.reasons) as string[]
      if (reasons.includes(reason) && e.priority >= priority) return
      this.db
        .prepare('UPDATE qa_queue SET reasons = ?, priority = max(priority, ?) WHERE call_id = ?')
        .run(JSON.stringify([...new Set([...reasons, reason])]), priority, callId)
    }
    this.deps.events.emit('qa.changed', { callId })
  }

  /** An outcome was saved: a success in a gated campaign waits for QA before dispatch. */
  outcomeSaved(callId: number | null, leadId: number, success: boolean, campaignId: number): void {
    if (success && this.campaigns.get(campaignId).settings.qa.gate)
      this.db.prepare("UPDATE leads SET qa_gate = 'pending', qa_note = NULL WHERE id = ?").run(leadId)
    if (callId !== null) this.consider(callId)
  }

  flag(user: User, callId: number, reason: string): void {
    const c = this.db.prepare('SELECT operator_id FROM calls WHERE id = ?').get(callId) as
      { operator_id: number } | undefined
    if (!c) throw new AppError('NOT_FOUND')
    if (user.role === 'operator' && c.operator_id !== user.id) throw new AppError('FORBIDDEN')
    if (
      user.role === 'field_agent' &&
      !this.db.prepare('SELECT 1 FROM dispatches WHERE call_id = ? AND agent_id = ?').get(callId, user.id)
    )
      throw new AppError('FORBIDDEN')
    if (!this.db.prepare('SELECT 1 FROM recordings WHERE call_id = ?').get(callId))
      throw new AppError('INVALID_INPUT', 'errors.qaNoRecording')
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO qa_flags (call_id, user_id, reason, at) VALUES (?, ?, ?, ?)')
        .run(callId, user.id, reason, this.now().toISOString())
      this.enqueue(callId, 'flag')
    })()
  }

  // ——— claims ———

  /** Claims the given call (putting it in the queue if it was not), or the next open one. */
  claim(user: User, callId?: number): { callId: number; recordingId: number; claimedUntil: string } | null {
    const now = this.now()
    const iso = now.toISOString()
    const until = new Date(now.getTime() + CLAIM_MS).toISOString()
    const claimed = this.db
      .transaction(() => {
        let id = callId
        if (id === undefined) {
          id = this.db
            .prepare(
              `SELECT q.call_id FROM qa_queue q JOIN recordings r ON r.call_id = q.call_id WHERE q.state = 'open' AND r.state <> 'recording'
                 AND (q.claimed_by IS NULL OR q.claimed_until <= ? OR q.claimed_by = ?) ORDER BY q.priority DESC, q.added_at, q.call_id LIMIT 1`
            )
            .pluck()
            .get(iso, user.id) as number | undefined
          if (id === undefined) return null
        }
        const rec = this.db.prepare('SELECT id, state FROM recordings WHERE call_id = ?').get(id) as
          { id: number; state: string } | undefined
        if (!rec) throw new AppError('NOT_FOUND')
        if (rec.state === 'recording') throw new AppError('CONFLICT', 'errors.qaStillRecording')
        const e = this.db
          .prepare(
            'SELECT q.state, q.claimed_by, q.claimed_until, u.display_name AS holder FROM qa_queue q LEFT JOIN users u ON u.id = q.claimed_by WHERE q.call_id = ?'
          )
          .get(id) as
          { state: string; claimed_by: number | null; claimed_until: string | null; holder: string | null } | undefined
        if (e && e.claimed_by !== null && e.claimed_by !== user.id && e.claimed_until! > iso)
          throw new AppError('CONFLICT', 'errors.qaClaimedBy', { name: e.holder ?? '' })
        const review = this.db.prepare('SELECT state FROM qa_reviews WHERE call_id = ?').pluck().get(id) as
          string | undefined
        if (review !== undefined && review !== 'reopened') throw new AppError('CONFLICT', 'errors.qaAlreadyReviewed')
        if (!e)
          this.db
            .prepare('INSERT INTO qa_queue (call_id, reasons, added_at) VALUES (?, \'["manual"]\', ?)')
            .run(id, iso)
        this.db
          .prepare("UPDATE qa_queue SET state = 'open', claimed_by = ?, claimed_until = ? WHERE call_id = ?")
          .run(user.id, until, id)
        return { callId: id, recordingId: rec.id, claimedUntil: until }
      })
      .immediate()
    if (claimed) this.deps.events.emit('qa.changed', { callId: claimed.callId })
    return claimed
  }

  release(user: User, callId: number): void {
    const r = this.db
      .prepare('UPDATE qa_queue SET claimed_by = NULL, claimed_until = NULL WHERE call_id = ? AND claimed_by = ?')
      .run(callId, user.id)
    if (r.changes !== 1) throw new AppError('CONFLICT', 'errors.qaNotClaimed')
    this.deps.events.emit('qa.changed', { callId })
  }

  // ——— scorecards ———

  currentScorecard(campaignId: number): Scorecard {
    this.campaigns.get(campaignId)
    const r = this.db
      .prepare('SELECT * FROM scorecards WHERE campaign_id = ? ORDER BY version DESC LIMIT 1')
      .get(campaignId) as
      { id: number; campaign_id: number; version: number; body: string; created_at: string } | undefined
    if (!r) return this.publishScorecard(campaignId, DEFAULT_SCORECARD, null)
    return {
      id: r.id,
      campaignId: r.campaign_id,
      version: r.version,
      body: scorecardBodySchema.parse(JSON.parse(r.body)),
      createdAt: r.created_at
    }
  }

  scorecard(id: number): Scorecard {
    const r = this.db.prepare('SELECT * FROM scorecards WHERE id = ?').get(id) as {
      id: number
      campaign_id: number
      version: number
      body: string
      created_at: string
    }
    return {
      id: r.id,
      campaignId: r.campaign_id,
      version: r.version,
      body: scorecardBodySchema.parse(JSON.parse(r.body)),
      createdAt: r.created_at
    }
  }

  publishScorecard(campaignId: number, body: ScorecardBody, userId: number | null): Scorecard {
    this.campaigns.get(campaignId)
    const version =
      ((this.db.prepare('SELECT max(version) FROM scorecards WHERE campaign_id = ?').pluck().get(campaignId) as
        number | null) ?? 0) + 1
    this.db
      .prepare('INSERT INTO scorecards (campaign_id, version, body, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(campaignId, version, JSON.stringify(body), userId, this.now().toISOString())
    return this.currentScorecard(campaignId)
  }

  // ——— reviews ———

  private reviewRow(where: string, arg: number): ReviewRow | undefined {
    return this.db
      .prepare(
        `SELECT v.*, ou.display_name AS operator_name, ru.display_name AS reviewer_name FROM qa_reviews v
         JOIN users ou ON ou.id = v.operator_id JOIN users ru ON ru.id = v.reviewer_id WHERE ${where}`
      )
      .get(arg) as ReviewRow | undefined
  }

  toReview(v: ReviewRow): Review {
    const events = (
      this.db
        .prepare(
          'SELECT e.at, u.display_name AS user, e.action, e.verdict, e.note FROM qa_review_events e JOIN users u ON u.id = e.user_id WHERE e.review_id = ? ORDER BY e.id'
        )
        .all(v.id) as { at: string; user: string; action: string; verdict: Verdict | null; note: string | null }[]
    ).map((e) => ({ ...e }))
    return {
      id: v.id,
      callId: v.call_id,
      recordingId: v.recording_id,
      operatorId: v.operator_id,
      operatorName: v.operator_name,
      reviewerName: v.reviewer_name,
      scorecardId: v.scorecard_id,
      scores: JSON.parse(v.scores) as Review['scores'],
      total: v.total,
      max: v.max,
      autoFailed: v.auto_failed === 1,
      verdict: v.verdict,
      comment: v.comment,
      state: v.state,
      createdAt: v.created_at,
      updatedAt: v.updated_at,
      events
    }
  }

  review(id: number): Review {
    const v = this.reviewRow('v.id = ?', id)
    if (!v) throw new AppError('NOT_FOUND')
    return this.toReview(v)
  }

  private event(reviewId: number, userId: number, action: string, verdict: Verdict | null, note: string | null): void {
    this.db
      .prepare('INSERT INTO qa_review_events (review_id, at, user_id, action, verdict, note) VALUES (?, ?, ?, ?, ?, ?)')
      .run(reviewId, this.now().toISOString(), userId, action, verdict, note)
  }

  /** The mandatory steps of the call's script and the ones the operator ticked. */
  steps(callId: number): {
    ticks: { stepId: string; title: string; mandatory: boolean; offsetMs: number }[]
    missing: { stepId: string; title: string; mandatory: boolean }[]
  } {
    const c = this.db.prepare('SELECT campaign_id, script_id FROM calls WHERE id = ?').get(callId) as {
      campaign_id: number | null
      script_id: number | null
    }
    // the version the call started with (older calls: the campaign's current one)
    const script =
      (c.script_id ? this.campaigns.script(c.script_id) : null) ?? this.campaigns.currentScript(c.campaign_id ?? 1)
    const steps = script?.body.steps ?? []
    const ticked = this.db
      .prepare('SELECT step_id, offset_ms FROM script_ticks WHERE call_id = ? ORDER BY offset_ms')
      .all(callId) as { step_id: string; offset_ms: number }[]
    const byId = new Map(steps.map((s) => [s.id, s]))
    return {
      ticks: ticked.map((t) => ({
        stepId: t.step_id,
        title: byId.get(t.step_id)?.title ?? t.step_id,
        mandatory: byId.get(t.step_id)?.mandatory ?? false,
        offsetMs: t.offset_ms
      })),
      missing: steps
        .filter((s) => s.mandatory && !ticked.some((t) => t.step_id === s.id))
        .map((s) => ({ stepId: s.id, title: s.title, mandatory: true }))
    }
  }

  submit(user: User, input: { callId: number; scores: Review['scores']; verdict: Verdict; comment?: string }): Review {
    const iso = this.now().toISOString()
    const id = this.db
      .transaction(() => {
        const call = this.db
          .prepare(
            'SELECT c.id, c.operator_id, c.campaign_id, r.id AS recording_id FROM calls c JOIN recordings r ON r.call_id = c.id WHERE c.id = ?'
          )
          .get(input.callId) as
          { id: number; operator_id: number; campaign_id: number | null; recording_id: number } | undefined
        if (!call) throw new AppError('NOT_FOUND')
        const q = this.db.prepare('SELECT claimed_by, state FROM qa_queue WHERE call_id = ?').get(call.id) as
          { claimed_by: number | null; state: string } | undefined
        if (!q || q.claimed_by !== user.id || q.state !== 'open') throw new AppError('CONFLICT', 'errors.qaNotClaimed')
        const existing = this.reviewRow('v.call_id = ?', call.id)
        if (existing && existing.state !== 'reopened') throw new AppError('CONFLICT', 'errors.qaAlreadyReviewed')
        const card = existing ? this.scorecard(existing.scorecard_id) : this.currentScorecard(call.campaign_id ?? 1)
        const scored = scoreReview(card.body, input.scores, input.verdict)
        let reviewId: number
        if (existing) {
          reviewId = existing.id
          this.db
            .prepare(
              "UPDATE qa_reviews SET reviewer_id = ?, scores = ?, total = ?, max = ?, auto_failed = ?, verdict = ?, comment = ?, state = 'submitted', updated_at = ? WHERE id = ?"
            )
            .run(
              user.id,
              JSON.stringify(scored.scores),
              scored.total,
              scored.max,
              scored.autoFailed ? 1 : 0,
              input.verdict,
              input.comment ?? null,
              iso,
              reviewId
            )
          this.event(reviewId, user.id, 'resubmitted', input.verdict, input.comment ?? null)
        } else {
          reviewId = Number(
            this.db
              .prepare(
                `INSERT INTO qa_reviews (call_id, recording_id, operator_id, reviewer_id, scorecard_id, scores, total, max, auto_failed, verdict, comment, state, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?)`
              )
              .run(
                call.id,
                call.recording_id,
                call.operator_id,
                user.id,
                card.id,
                JSON.stringify(scored.scores),
                scored.total,
                scored.max,
                scored.autoFailed ? 1 : 0,
                input.verdict,
                input.comment ?? null,
                iso,
                iso
              ).lastInsertRowid
          )
          this.event(reviewId, user.id, 'submitted', input.verdict, input.comment ?? null)
        }
        this.db
          .prepare("UPDATE qa_queue SET state = 'done', claimed_by = NULL, claimed_until = NULL WHERE call_id = ?")
          .run(call.id)
        this.settleGate(call.id, input.verdict, input.comment ?? null, user.id)
        this.deps.audit.write({
          userId: user.id,
          username: user.username,
          action: 'qa.review',
          entity: 'call',
          entityId: call.id,
          details: { verdict: input.verdict, total: scored.total, max: scored.max },
          source: 'core'
        })
        return reviewId
      })
      .immediate()
    const review = this.review(id)
    this.deps.events.emit('qa.changed', { callId: input.callId })
    this.deps.events.emit('qa.reviewed', { userId: review.operatorId, reviewId: id })
    this.deps.events.emit('leads.changed', { reason: 'qa' })
    return review
  }

  /** The success gate follows the call's verdict: a pass releases the lead to dispatch, anything else returns it. */
  private settleGate(callId: number, verdict: Verdict, note: string | null, userId: number): void {
    const l = this.db
      .prepare(
        'SELECT l.id, l.qa_gate FROM outcomes o JOIN leads l ON l.id = o.lead_id WHERE o.call_id = ? AND o.success = 1 AND l.qa_gate IS NOT NULL'
      )
      .get(callId) as { id: number; qa_gate: string } | undefined
    if (!l) return
    const gate = verdict === 'pass' ? 'passed' : 'failed'
    this.db
      .prepare('UPDATE leads SET qa_gate = ?, qa_note = ?, updated_at = ? WHERE id = ?')
      .run(gate, verdict === 'pass' ? null : note, this.now().toISOString(), l.id)
    this.db
      .prepare('INSERT INTO lead_events (lead_id, at, user_id, kind, details) VALUES (?, ?, ?, ?, ?)')
      .run(l.id, this.now().toISOString(), userId, 'qa_gate', JSON.stringify({ gate, verdict, callId, note }))
    if (gate === 'passed') this.onGatePassed(l.id)
  }

  appeal(user: User, reviewId: number, reason: string): Review {
    this.db.transaction(() => {
      const v = this.reviewRow('v.id = ?', reviewId)
      if (!v || v.operator_id !== user.id) throw new AppError('NOT_FOUND')
      if (v.state !== 'submitted' || v.verdict === 'pass') throw new AppError('CONFLICT', 'errors.qaNotAppealable')
      this.db
        .prepare("UPDATE qa_reviews SET state = 'appealed', updated_at = ? WHERE id = ?")
        .run(this.now().toISOString(), reviewId)
      this.event(reviewId, user.id, 'appealed', null, reason)
    })()
    this.deps.events.emit('qa.changed', { callId: null })
    return this.review(reviewId)
  }

  decide(
    user: User,
    input: { reviewId: number; decision: 'uphold' | 'overturn' | 'reopen'; verdict?: Verdict; note: string }
  ): Review {
    const iso = this.now().toISOString()
    const v0 = this.db
      .transaction(() => {
        const v = this.reviewRow('v.id = ?', input.reviewId)
        if (!v) throw new AppError('NOT_FOUND')
        if (input.decision === 'reopen') {
          if (v.state === 'reopened') throw new AppError('CONFLICT', 'errors.qaDecisionState')
          this.db.prepare("UPDATE qa_reviews SET state = 'reopened', updated_at = ? WHERE id = ?").run(iso, v.id)
          // back to its reviewer, who sees it first in the queue
          this.db
            .prepare(
              "UPDATE qa_queue SET state = 'open', claimed_by = ?, claimed_until = ?, priority = max(priority, 1) WHERE call_id = ?"
            )
            .run(v.reviewer_id, new Date(this.now().getTime() + 24 * 60 * MIN).toISOString(), v.call_id)
          this.db
            .prepare(
              "UPDATE leads SET qa_gate = 'pending' WHERE qa_gate IS NOT NULL AND id = (SELECT lead_id FROM outcomes WHERE call_id = ? AND success = 1)"
            )
            .run(v.call_id)
          this.event(v.id, user.id, 'reopened', null, input.note)
          return v
        }
        if (v.state !== 'appealed') throw new AppError('CONFLICT', 'errors.qaDecisionState')
        if (input.decision === 'uphold') {
          this.db.prepare("UPDATE qa_reviews SET state = 'final', updated_at = ? WHERE id = ?").run(iso, v.id)
          this.event(v.id, user.id, 'upheld', v.verdict, input.note)
        } else {
          if (!input.verdict || input.verdict === v.verdict)
            throw new AppError('INVALID_INPUT', 'errors.qaOverturnVerdict')
          this.db
            .prepare("UPDATE qa_reviews SET state = 'final', verdict = ?, updated_at = ? WHERE id = ?")
            .run(input.verdict, iso, v.id)
          this.event(v.id, user.id, 'overturned', input.verdict, input.note)
          this.settleGate(v.call_id, input.verdict, input.note, user.id)
        }
        return v
      })
      .immediate()
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action: `qa.${input.decision}`,
      entity: 'call',
      entityId: v0.call_id,
      details: { reviewId: v0.id, verdict: input.verdict ?? null },
      source: 'core'
    })
    this.deps.events.emit('qa.changed', { callId: v0.call_id })
    this.deps.events.emit('qa.reviewed', { userId: v0.operator_id, reviewId: v0.id })
    return this.review(v0.id)
  }

  // ——— annotations ———

  annotations(recordingId: number): Annotation[] {
    return (
      this.db
        .prepare(
          'SELECT a.id, a.start_ms, a.end_ms, a.comment, a.item_id, u.display_name AS by, a.at FROM qa_annotations a JOIN users u ON u.id = a.user_id WHERE a.recording_id = ? ORDER BY a.start_ms, a.id'
        )
        .all(recordingId) as {
        id: number
        start_ms: number
        end_ms: number
        comment: string
        item_id: string | null
        by: string
        at: string
      }[]
    ).map((a) => ({
      id: a.id,
      startMs: a.start_ms,
      endMs: a.end_ms,
      comment: a.comment,
      itemId: a.item_id,
      by: a.by,
      at: a.at
    }))
  }

  annotate(
    user: User,
    a: { recordingId: number; startMs: number; endMs: number; comment: string; itemId?: string }
  ): Annotation {
    const r = this.db.prepare('SELECT duration_ms FROM recordings WHERE id = ?').get(a.recordingId) as
      { duration_ms: number } | undefined
    if (!r) throw new AppError('NOT_FOUND')
    const end = Math.min(a.endMs, Math.max(r.duration_ms, a.startMs))
    const id = Number(
      this.db
        .prepare(
          'INSERT INTO qa_annotations (recording_id, start_ms, end_ms, comment, item_id, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)'
        )
        .run(a.recordingId, a.startMs, end, a.comment, a.itemId ?? null, user.id, this.now().toISOString())
        .lastInsertRowid
    )
    return this.annotations(a.recordingId).find((x) => x.id === id)!
  }

  deleteAnnotation(user: User, id: number): void {
    const r = this.db.prepare('DELETE FROM qa_annotations WHERE id = ? AND user_id = ?').run(id, user.id)
    if (r.changes !== 1) throw new AppError('NOT_FOUND')
  }

  // ——— the library ———

  private where(filter: LibraryFilter, user: User): { sql: string; params: Record<string, unknown> } {
    const w: string[] = []
    const p: Record<string, unknown> = { now: this.now().toISOString() }
    if (user.role === 'operator') {
      w.push('r.operator_id = @me')
      p.me = user.id
    }
    const add = (cond: string, key: string, value: unknown) => {
      if (value === undefined || value === '') return
      w.push(cond)
      p[key] = value
    }
    add('r.started_at >= @from', 'from', filter.from)
    add('r.started_at < @to', 'to', filter.to)
    add('r.operator_id = @op', 'op', filter.operatorId)
    add('c.campaign_id = @campaign', 'campaign', filter.campaignId)
    add('o.disposition = @disp', 'disp', filter.disposition)
    add('coalesce(o.district_code, l.district_code) = @district', 'district', filter.districtCode)
    add(
      'r.duration_ms >= @minMs',
      'minMs',
      filter.minDurationSec === undefined ? undefined : filter.minDurationSec * 1000
    )
    add(
      'r.duration_ms <= @maxMs',
      'maxMs',
      filter.maxDurationSec === undefined ? undefined : filter.maxDurationSec * 1000
    )
    add(`(${QA_STATE_SQL}) = @qaState`, 'qaState', filter.qaState)
    if (filter.queued) w.push("q.state = 'open'")
    if (filter.q) {
      const digits = filter.q.replace(/\D/g, '')
      // part of the number (digits only) or of the name
      w.push(digits.length >= 3 ? '(instr(l.phone, @digits) > 0 OR instr(l.name, @q) > 0)' : 'instr(l.name, @q) > 0')
      p.digits = digits
      p.q = filter.q
    }
    return { sql: w.length ? `WHERE ${w.join(' AND ')}` : '', params: p }
  }

  private toRow(r: LibraryDbRow, user: User, settings: Settings): LibraryRow {
    return {
      recordingId: r.recording_id,
      callId: r.call_id,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
      state: r.state,
      line: r.line,
      direction: r.direction,
      operatorId: r.operator_id,
      operatorName: r.operator_name,
      campaignName: r.campaign_name,
      leadId: r.lead_id,
      customerName: r.customer_name,
      phone: r.phone ? phoneFor(r.phone, user.role, settings) : null,
      outcome: r.outcome,
      success: r.success === 1,
      district: r.district,
      qaState: qaState(r, this.now().toISOString()),
      reasons: r.reasons ? (JSON.parse(r.reasons) as string[]) : [],
      metrics: r.hung_up_by ? toMetrics(r as MetricsRow) : null
    }
  }

  library(
    user: User,
    input: { filter: LibraryFilter; sort: string; dir: 'asc' | 'desc'; offset: number; limit: number }
  ): { rows: LibraryRow[]; total: number } {
    const { sql, params } = this.where(input.filter, user)
    const total = this.db.prepare(`SELECT count(*) ${LIBRARY_FROM} ${sql}`).pluck().get(params) as number
    const order = `${SORT_SQL[input.sort] ?? 'r.started_at'} ${input.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, r.id ${input.dir === 'asc' ? 'ASC' : 'DESC'}`
    const rows = this.db
      .prepare(`SELECT ${LIBRARY_COLUMNS} ${LIBRARY_FROM} ${sql} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: input.limit, offset: input.offset }) as LibraryDbRow[]
    const settings = this.settings()
    return { rows: rows.map((r) => this.toRow(r, user, settings)), total }
  }

  queue(user: User, limit: number) {
    const iso = this.now().toISOString()
    const rows = this.db
      .prepare(
        `SELECT ${LIBRARY_COLUMNS}, q.added_at, q.priority, hu.display_name AS holder ${LIBRARY_FROM} LEFT JOIN users hu ON hu.id = q.claimed_by
         WHERE q.state = 'open' AND r.state <> 'recording' ORDER BY q.priority DESC, q.added_at, q.call_id LIMIT ?`
      )
      .all(limit) as (LibraryDbRow & { added_at: string; priority: number; holder: string | null })[]
    const settings = this.settings()
    return rows.map((r) => {
      const held = r.claimed_by !== null && r.claimed_until! > iso
      return {
        ...this.toRow(r, user, settings),
        addedAt: r.added_at,
        claimedBy: held ? r.holder : null,
        claimedUntil: held ? r.claimed_until : null,
        mine: held && r.claimed_by === user.id,
        gate: r.priority > 0
      }
    })
  }

  /** One library row by recording (for the review page). */
  row(user: User, recordingId: number): LibraryRow {
    const r = this.db.prepare(`SELECT ${LIBRARY_COLUMNS} ${LIBRARY_FROM} WHERE r.id = ?`).get(recordingId) as
      LibraryDbRow | undefined
    if (!r) throw new AppError('NOT_FOUND')
    return this.toRow(r, user, this.settings())
  }

  flags(callId: number): { by: string; reason: string; at: string }[] {
    return this.db
      .prepare(
        'SELECT u.display_name AS by, f.reason, f.at FROM qa_flags f JOIN users u ON u.id = f.user_id WHERE f.call_id = ? ORDER BY f.id'
      )
      .all(callId) as { by: string; reason: string; at: string }[]
  }

  claimOf(user: User, callId: number): { by: string | null; until: string | null; mine: boolean } | null {
    const q = this.db
      .prepare(
        'SELECT q.state, q.claimed_by, q.claimed_until, u.display_name AS holder FROM qa_queue q LEFT JOIN users u ON u.id = q.claimed_by WHERE q.call_id = ?'
      )
      .get(callId) as
      { state: string; claimed_by: number | null; claimed_until: string | null; holder: string | null } | undefined
    if (!q || q.state !== 'open') return null
    const held = q.claimed_by !== null && q.claimed_until! > this.now().toISOString()
    return { by: held ? q.holder : null, until: held ? q.claimed_until : null, mine: held && q.claimed_by === user.id }
  }

  gateOf(callId: number): 'pending' | 'passed' | 'failed' | null {
    return (
      (this.db
        .prepare(
          'SELECT l.qa_gate FROM outcomes o JOIN leads l ON l.id = o.lead_id WHERE o.call_id = ? AND o.success = 1'
        )
        .pluck()
        .get(callId) as 'pending' | 'passed' | 'failed' | null | undefined) ?? null
    )
  }

  // ——— the operator's side, the supervisors' side ———

  myReviews(user: User, limit: number) {
    const rows = this.db
      .prepare(
        `SELECT v.*, ou.display_name AS operator_name, ru.display_name AS reviewer_name, c.started_at AS call_started_at, l.name AS customer_name, o.label AS outcome_label
         FROM qa_reviews v JOIN users ou ON ou.id = v.operator_id JOIN users ru ON ru.id = v.reviewer_id JOIN calls c ON c.id = v.call_id
         LEFT JOIN leads l ON l.id = c.lead_id LEFT JOIN outcomes o ON o.call_id = c.id
         WHERE v.operator_id = ? AND v.state <> 'reopened' ORDER BY v.updated_at DESC LIMIT ?`
      )
      .all(user.id, limit) as (ReviewRow & {
      call_started_at: string
      customer_name: string | null
      outcome_label: string | null
    })[]
    return rows.map((v) => ({
      ...this.toReview(v),
      startedAt: v.call_started_at,
      customerName: v.customer_name,
      outcome: v.outcome_label,
      scorecard: this.scorecard(v.scorecard_id).body,
      annotations: this.annotations(v.recording_id)
    }))
  }

  appeals() {
    const rows = this.db
      .prepare(
        `SELECT v.*, ou.display_name AS operator_name, ru.display_name AS reviewer_name, c.started_at AS call_started_at,
           (SELECT note FROM qa_review_events e WHERE e.review_id = v.id AND e.action = 'appealed' ORDER BY e.id DESC LIMIT 1) AS appeal_reason
         FROM qa_reviews v JOIN users ou ON ou.id = v.operator_id JOIN users ru ON ru.id = v.reviewer_id JOIN calls c ON c.id = v.call_id
         WHERE v.state = 'appealed' ORDER BY v.updated_at`
      )
      .all() as (ReviewRow & { call_started_at: string; appeal_reason: string | null })[]
    return rows.map((v) => ({ ...this.toReview(v), startedAt: v.call_started_at, appealReason: v.appeal_reason }))
  }

  returned() {
    return (
      this.db
        .prepare(
          `SELECT l.id AS lead_id, l.name, u.display_name AS operator_name, o.operator_id, v.id AS review_id, v.recording_id, v.verdict, l.qa_note, v.updated_at
           FROM leads l JOIN outcomes o ON o.lead_id = l.id AND o.success = 1 JOIN qa_reviews v ON v.call_id = o.call_id JOIN users u ON u.id = o.operator_id
           WHERE l.qa_gate = 'failed' AND l.status = 'accepted' ORDER BY v.updated_at`
        )
        .all() as {
        lead_id: number
        name: string
        operator_name: string
        operator_id: number
        review_id: number
        recording_id: number
        verdict: Verdict
        qa_note: string | null
        updated_at: string
      }[]
    ).map((r) => ({
      leadId: r.lead_id,
      customerName: r.name,
      operatorName: r.operator_name,
      operatorId: r.operator_id,
      reviewId: r.review_id,
      recordingId: r.recording_id,
      verdict: r.verdict,
      reason: r.qa_note,
      at: r.updated_at
    }))
  }

  /** A success that failed QA: back to its operator as a callback due now, or closed (nothing more in this campaign). */
  settleReturned(user: User, leadId: number, action: 'recall' | 'close', note?: string): void {
    const iso = this.now().toISOString()
    this.db
      .transaction(() => {
        const l = this.db
          .prepare(
            "SELECT l.id, l.campaign_id, o.operator_id FROM leads l JOIN outcomes o ON o.lead_id = l.id AND o.success = 1 WHERE l.id = ? AND l.qa_gate = 'failed' AND l.status = 'accepted' ORDER BY o.id DESC LIMIT 1"
          )
          .get(leadId) as { id: number; campaign_id: number; operator_id: number } | undefined
        if (!l) throw new AppError('CONFLICT', 'errors.qaNotReturned')
        if (action === 'recall') {
          this.db
            .prepare(
              "UPDATE leads SET status = 'callback', owner_id = ?, qa_gate = NULL, next_at = NULL, updated_at = ? WHERE id = ?"
            )
            .run(l.operator_id, iso, l.id)
          this.db
            .prepare(
              'INSERT INTO callbacks (lead_id, campaign_id, operator_id, due_at, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
            )
            .run(l.id, l.campaign_id, l.operator_id, iso, note ?? null, user.id, iso)
        } else {
          this.db
            .prepare("UPDATE leads SET status = 'exhausted', qa_gate = NULL, updated_at = ? WHERE id = ?")
            .run(iso, l.id)
        }
        this.db
          .prepare('INSERT INTO lead_events (lead_id, at, user_id, kind, details) VALUES (?, ?, ?, ?, ?)')
          .run(l.id, iso, user.id, 'qa_returned', JSON.stringify({ action, note: note ?? null }))
      })
      .immediate()
    this.deps.events.emit('leads.changed', { reason: 'qa' })
  }

  operatorStats(from: string, to: string) {
    const rows = this.db
      .prepare(
        `SELECT u.id AS operator_id, u.display_name AS operator_name, count(r.id) AS calls,
           avg(m.talk_over_share) AS talk_over, avg(m.silence_share) AS silence, avg(m.operator_talk_share) AS op_talk, avg(m.longest_monologue_ms) AS mono,
           (SELECT count(*) FROM qa_reviews v JOIN calls c2 ON c2.id = v.call_id WHERE v.operator_id = u.id AND c2.started_at >= @from AND c2.started_at < @to AND v.state <> 'reopened') AS reviews,
           (SELECT avg(CASE WHEN v.verdict = 'pass' THEN 1.0 ELSE 0 END) FROM qa_reviews v JOIN calls c2 ON c2.id = v.call_id WHERE v.operator_id = u.id AND c2.started_at >= @from AND c2.started_at < @to AND v.state <> 'reopened') AS pass_rate,
           (SELECT avg(v.total * 100.0 / nullif(v.max, 0)) FROM qa_reviews v JOIN calls c2 ON c2.id = v.call_id WHERE v.operator_id = u.id AND c2.started_at >= @from AND c2.started_at < @to AND v.state <> 'reopened') AS score
         FROM recordings r JOIN calls c ON c.id = r.call_id JOIN users u ON u.id = r.operator_id LEFT JOIN recording_metrics m ON m.recording_id = r.id
         WHERE c.line = 'sip' AND r.started_at >= @from AND r.started_at < @to AND r.state <> 'recording'
         GROUP BY u.id ORDER BY u.display_name`
      )
      .all({ from, to }) as {
      operator_id: number
      operator_name: string
      calls: number
      talk_over: number | null
      silence: number | null
      op_talk: number | null
      mono: number | null
      reviews: number
      pass_rate: number | null
      score: number | null
    }[]
    const r4 = (n: number | null) => (n === null ? 0 : +n.toFixed(4))
    return rows.map((r) => ({
      operatorId: r.operator_id,
      operatorName: r.operator_name,
      calls: r.calls,
      talkOverShare: r4(r.talk_over),
      silenceShare: r4(r.silence),
      operatorTalkShare: r4(r.op_talk),
      longestMonologueMs: Math.round(r.mono ?? 0),
      reviews: r.reviews,
      passRate: r.pass_rate === null ? null : +r.pass_rate.toFixed(4),
      averageScore: r.score === null ? null : +r.score.toFixed(1)
    }))
  }
}

function matches(rule: QaRule, m: CallMetrics): boolean {
  const v = m[rule.metric]
  if (v === null) return false
  return rule.op === 'gt' ? v > rule.value : v < rule.value
}

function qaState(
  r: Pick<LibraryDbRow, 'verdict' | 'review_state' | 'queue_state' | 'claimed_by' | 'claimed_until'>,
  now: string
): LibraryRow['qaState'] {
  if (r.verdict && r.review_state !== 'reopened') return r.verdict
  if (r.queue_state === 'open') return r.claimed_by !== null && r.claimed_until! > now ? 'claimed' : 'queued'
  return 'none'
}

/**
 * A review's figures from the scorecard: every item scored once, no more than its points; an
 * auto-fail item that failed scores 0 and fails the call. A fail is forced by an auto-fail; a
 * pass needs the pass mark.
 */
export function scoreReview(
  card: ScorecardBody,
  scores: Review['scores'],
  verdict: Verdict
): { scores: Review['scores']; total: number; max: number; autoFailed: boolean } {
  const byId = new Map(scores.map((s) => [s.itemId, s]))
  if (byId.size !== scores.length) throw new AppError('INVALID_INPUT', 'errors.qaScoresIncomplete')
  const out: Review['scores'] = []
  let total = 0
  let max = 0
  let autoFailed = false
  for (const item of card.items) {
    const s = byId.get(item.id)
    if (!s) throw new AppError('INVALID_INPUT', 'errors.qaScoresIncomplete')
    if (s.score > item.points)
      throw new AppError('INVALID_INPUT', 'errors.qaScoreTooHigh', { item: item.title, points: item.points })
    const failed = item.autoFail && s.failed
    const score = failed ? 0 : s.score
    autoFailed ||= failed
    total += score
    max += item.points
    out.push({ itemId: item.id, score, failed, ...(s.note ? { note: s.note } : {}) })
  }
  if (scores.some((s) => !card.items.some((i) => i.id === s.itemId)))
    throw new AppError('INVALID_INPUT', 'errors.qaScoresIncomplete')
  if (autoFailed && verdict !== 'fail') throw new AppError('INVALID_INPUT', 'errors.qaAutoFailVerdict')
  if (verdict === 'pass' && max > 0 && (total * 100) / max < card.passMark)
    throw new AppError('INVALID_INPUT', 'errors.qaBelowPassMark', { mark: card.passMark })
  return { scores: out, total, max, autoFailed }
}
