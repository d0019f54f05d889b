import ExcelJS from 'exceljs'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  FUNNEL_STEPS,
  type Live,
  type Locale,
  type OperatorRow,
  type Output,
  type Settings
} from '../../../shared/contract'
import { addDays, atLocal, hhmmToMinutes, localTime } from '../../../shared/domain/calling-time'
import { translate } from '../../../shared/i18n'
import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps } from '../context'
import type { DeskService } from '../desk/service'
import type { DispatchService } from '../dispatch/service'

const rate = (n: number, d: number) => (d ? +(n / d).toFixed(4) : 0)

type T = (key: string) => string
const OPERATOR_COLS = [
  'operator',
  'calls',
  'connected',
  'connectRate',
  'talkSec',
  'ahtSec',
  'successes',
  'conversion',
  'qaReviews',
  'qaAverage',
  'qaPassRate'
] as const
const QUALITY_COLS = [
  'batch',
  'source',
  'rows',
  'imported',
  'invalidAtImport',
  'dialed',
  'vacant',
  'suspended',
  'wrongNumber',
  'badShare'
] as const

/** A sheet of rows under a bold header (the columns' names under `headers` in the catalog), the named columns as percentages; the same in the exports and the daily report. */
function tableSheet<K extends string>(
  ws: ExcelJS.Worksheet,
  t: T,
  headers: string,
  cols: readonly K[],
  rows: readonly Record<K, unknown>[],
  percent: readonly K[] = []
): void {
  ws.addRow(cols.map((c) => t(`${headers}.${c}`))).font = { bold: true }
  for (const r of rows) ws.addRow(cols.map((c) => r[c]))
  for (const c of percent) ws.getColumn(cols.indexOf(c) + 1).numFmt = '0.0%'
}

/** The funnel: the steps with their rates, then the batches. */
function funnelSheet(ws: ExcelJS.Worksheet, t: T, f: Output<'reports.funnel'>): void {
  ws.addRow([t('reports.cols.step'), t('reports.cols.count'), t('reports.cols.rate')]).font = { bold: true }
  for (const s of f.steps) ws.addRow([t(`reports.steps.${s.step}`), s.count, s.rate])
  ws.getColumn(3).numFmt = '0.0%'
  ws.addRow([])
  ws.addRow([
    t('reports.cols.batch'),
    t('reports.cols.source'),
    ...FUNNEL_STEPS.map((s) => t(`reports.steps.${s}`))
  ]).font = { bold: true }
  for (const b of f.batches) ws.addRow([b.batch, b.source, ...FUNNEL_STEPS.map((s) => b.counts[s])])
}

/**
 * Supervisors' figures: the live wallboard (pushed by events, never polled) and the reports over a
 * period. Simulated (training) calls never count.
 */
export class ReportsService {
  constructor(
    private deps: CoreDeps,
    private desk: DeskService,
    private campaigns: CampaignsService,
    private settings: () => Settings,
    private dispatch: DispatchService
  ) {}

  private get db() {
    return this.deps.db
  }

  live(locale: Locale = 'zh-CN'): Live {
    const now = this.deps.clock.now()
    const iso = now.toISOString()
    const { day } = this.desk.todayBounds()
    // today's figures (operators and campaigns) from the daily figures the triggers keep
    const operators = (
      this.db
        .prepare(
          `SELECT u.id, u.display_name AS name, s.state, s.reason, s.started_at AS since,
             coalesce(sum(d.calls), 0) AS calls, coalesce(sum(d.talk_sec), 0) AS talk, coalesce(sum(d.connected), 0) AS connected, coalesce(sum(d.successes), 0) AS successes
           FROM users u LEFT JOIN agent_states s ON s.operator_id = u.id AND s.ended_at IS NULL LEFT JOIN operator_days d ON d.operator_id = u.id AND d.day = @day
           WHERE u.role = 'operator' AND u.disabled = 0 GROUP BY u.id ORDER BY u.display_name`
        )
        .all({ day }) as {
        id: number
        name: string
        state: Live['operators'][number]['state'] | null
        reason: string | null
        since: string | null
        calls: number
        talk: number
        connected: number
        successes: number
      }[]
    ).map((o) => {
      return {
        operatorId: o.id,
        name: o.name,
        state: o.state ?? 'offline',
        reason: o.reason,
        since: o.since,
        calls: o.calls,
        connected: o.connected,
        talkSec: Math.round(o.talk),
        successes: o.successes,
        target: this.desk.lastCampaign({ id: o.id }).settings.dailyTarget
      }
    })
    const campaigns = this.campaigns
      .list()
      .filter((c) => c.active)
      .map((c) => {
        const windowOpen = this.desk.rules.windowBlock(c, now) === null
        const q = this.db
          .prepare(
            `SELECT
               coalesce(sum(status IN ('refused', 'invalid_number', 'accepted')), 0) AS done,
               coalesce(sum(status = 'dnc'), 0) AS dnc,
               coalesce(sum(status = 'exhausted' OR (status IN ('new', 'allocated', 'callback') AND attempts >= @max)), 0) AS exhausted,
               coalesce(sum(status IN ('in_queue', 'in_call') OR (lease_by IS NOT NULL AND lease_until > @now)), 0) AS held,
               coalesce(sum(status IN ('new', 'allocated', 'callback') AND attempts < @max AND lease_by IS NULL AND next_at > @now), 0) AS retry,
               coalesce(sum(status IN ('new', 'allocated', 'callback') AND attempts < @max AND lease_by IS NULL AND (next_at IS NULL OR next_at <= @now)), 0) AS ready
             FROM leads WHERE campaign_id = @campaign`
          )
          .get({ campaign: c.id, max: c.settings.maxAttempts, now: iso }) as {
          done: number
          dnc: number
          exhausted: number
          held: number
          retry: number
          ready: number
        }
        const f = this.db
          .prepare(
            'SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(connected), 0) AS connected, coalesce(sum(successes), 0) AS successes FROM operator_days WHERE day = ? AND campaign_id = ?'
          )
          .get(day, c.id) as { calls: number; connected: number; successes: number }
        return {
          campaignId: c.id,
          name: c.name,
          ...f,
          dialableNow: windowOpen ? q.ready : 0,
          outsideWindow: windowOpen ? 0 : q.ready,
          retryPending: q.retry,
          held: q.held,
          exhausted: q.exhausted,
          dnc: q.dnc,
          done: q.done,
          windowOpen
        }
      })
    const callbacks = this.db
      .prepare("SELECT count(*) FROM callbacks WHERE state = 'pending' AND due_at < ?")
      .pluck()
      .get(iso) as number
    const late = this.dispatch.lateCounts()
    const b = this.db
      .prepare('SELECT started_at, ok, detail FROM backups WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1')
      .get() as { started_at: string; ok: number; detail: string | null } | undefined
    const backup = {
      scheduled: !!this.settings().backup.folder,
      last: b ? { at: b.started_at, ok: b.ok === 1, message: b.ok === 1 ? null : backupError(b.detail, locale) } : null
    }
    return {
      operators,
      campaigns,
      overdue: { callbacks, dispatches: late.assign + late.confirm, followUps: late.followUps },
      backup
    }
  }

  /** The period as the centre's days when it starts and ends at local midnight (the reports' usual case), else null. */
  private wholeDays(from: string, to: string): { first: string; end: string } | null {
    const tz = this.settings().timeZone
    const a = localTime(new Date(from), tz)
    const b = localTime(new Date(to), tz)
    return a.minutes === 0 && b.minutes === 0 ? { first: a.day, end: b.day } : null
  }

  operators(from: string, to: string, campaignId?: number): OperatorRow[] {
    const now = this.deps.clock.now().toISOString()
    const days = this.wholeDays(from, to)
    // Whole days sum the daily figures kept as calls and outcomes happen; a period cut inside a day counts the calls.
    const counts = days
      ? `coalesce((SELECT sum(d.calls) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS calls,
         coalesce((SELECT sum(d.answered) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS answered,
         coalesce((SELECT sum(d.talk_sec) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS talk,
         coalesce((SELECT sum(d.connected) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS connected,
         coalesce((SELECT sum(d.successes) FROM operator_days d WHERE d.operator_id = u.id AND d.day >= @first AND d.day < @end AND (@campaign IS NULL OR d.campaign_id = @campaign)), 0) AS successes`
      : `(SELECT count(*) FROM calls c WHERE c.operator_id = u.id AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS calls,
         (SELECT count(*) FROM calls c WHERE c.operator_id = u.id AND c.line = 'sip' AND c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS answered,
         (SELECT coalesce(sum(CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL THEN (julianday(c.ended_at) - julianday(c.answered_at)) * 86400 END), 0)
            FROM calls c WHERE c.operator_id = u.id AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS talk,
         (SELECT coalesce(sum(o.connected), 0) FROM outcomes o WHERE o.operator_id = u.id AND o.simulated = 0 AND o.at >= @from AND o.at < @to AND (@campaign IS NULL OR o.campaign_id = @campaign)) AS connected,
         (SELECT coalesce(sum(o.success), 0) FROM outcomes o WHERE o.operator_id = u.id AND o.simulated = 0 AND o.at >= @from AND o.at < @to AND (@campaign IS NULL OR o.campaign_id = @campaign)) AS successes`
    const rows = this.db
      .prepare(
        `SELECT u.id, u.display_name AS name, ${counts},
           (SELECT count(*) FROM qa_reviews v JOIN calls c ON c.id = v.call_id WHERE v.operator_id = u.id AND v.state <> 'reopened' AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS reviews,
           (SELECT avg(v.total * 100.0 / nullif(v.max, 0)) FROM qa_reviews v JOIN calls c ON c.id = v.call_id WHERE v.operator_id = u.id AND v.state <> 'reopened' AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS qa_avg,
           (SELECT avg(v.verdict = 'pass') FROM qa_reviews v JOIN calls c ON c.id = v.call_id WHERE v.operator_id = u.id AND v.state <> 'reopened' AND c.line = 'sip' AND c.started_at >= @from AND c.started_at < @to AND (@campaign IS NULL OR c.campaign_id = @campaign)) AS qa_pass
         FROM users u WHERE u.role = 'operator' ORDER BY u.display_name`
      )
      .all({ from, to, first: days?.first ?? null, end: days?.end ?? null, campaign: campaignId ?? null }) as {
      id: number
      name: string
      calls: number
      answered: number
      talk: number
      connected: number
      successes: number
      reviews: number
      qa_avg: number | null
      qa_pass: number | null
    }[]
    // Time in a state inside the period (a state still open runs until now).
    const states = this.db
      .prepare(
        `SELECT operator_id, state, coalesce(reason, '') AS reason,
           sum((julianday(min(coalesce(ended_at, @now), @to)) - julianday(max(started_at, @from))) * 86400) AS secs
         FROM agent_states WHERE started_at < @to AND coalesce(ended_at, @now) > @from AND state IN ('wrap_up', 'paused')
         GROUP BY operator_id, state, reason`
      )
      .all({ from, to, now }) as { operator_id: number; state: string; reason: string; secs: number }[]
    return rows
      .filter((r) => r.calls || r.connected || states.some((s) => s.operator_id === r.id))
      .map((r) => {
        const mine = states.filter((s) => s.operator_id === r.id)
        const wrap = mine.filter((s) => s.state === 'wrap_up').reduce((a, s) => a + s.secs, 0)
        const pauseSec: Record<string, number> = {}
        for (const s of mine.filter((x) => x.state === 'paused')) pauseSec[s.reason || 'other'] = Math.round(s.secs)
        return {
          operatorId: r.id,
          operator: r.name,
          calls: r.calls,
          connected: r.connected,
          connectRate: rate(r.connected, r.calls),
          talkSec: Math.round(r.talk),
          ahtSec: r.answered ? Math.round((r.talk + wrap) / r.answered) : 0,
          successes: r.successes,
          conversion: rate(r.successes, r.connected),
          qaReviews: r.reviews,
          qaAverage: r.qa_avg === null ? null : +r.qa_avg.toFixed(1),
          qaPassRate: r.qa_pass === null ? null : +r.qa_pass.toFixed(4),
          pauseSec
        }
      })
  }

  /** The batches imported in the period, step by step to the follow-up (each lead's steps counted once, as they happened). */
  funnel(from: string, to: string): Output<'reports.funnel'> {
    const rows = this.db
      .prepare(
        `SELECT b.id AS batch_id, b.file_name AS batch, b.source, b.imported, coalesce(f.dialed, 0) AS dialed, coalesce(f.contacted, 0) AS contacted,
           coalesce(f.accepted, 0) AS accepted, coalesce(f.qa_passed, 0) AS qa_passed, coalesce(f.assigned, 0) AS assigned, coalesce(f.visited, 0) AS visited,
           coalesce(f.signed, 0) AS signed, coalesce(f.followed_up, 0) AS followed_up
         FROM import_batches b LEFT JOIN batch_funnel f ON f.batch_id = b.id
         WHERE b.created_at >= ? AND b.created_at < ? ORDER BY b.id`
      )
      .all(from, to) as ({ batch_id: number; batch: string; source: string } & Record<string, number>)[]
    const key = (s: (typeof FUNNEL_STEPS)[number]) =>
      s === 'qaPassed' ? 'qa_passed' : s === 'followedUp' ? 'followed_up' : s
    const total = (s: (typeof FUNNEL_STEPS)[number]) => rows.reduce((a, r) => a + (r[key(s)] ?? 0), 0)
    return {
      steps: FUNNEL_STEPS.map((s, i) => ({
        step: s,
        count: total(s),
        rate: i === 0 ? 1 : rate(total(s), total(FUNNEL_STEPS[i - 1]))
      })),
      batches: rows.map((r) => ({
        batchId: r.batch_id,
        batch: r.batch,
        source: r.source,
        counts: Object.fromEntries(FUNNEL_STEPS.map((s) => [s, r[key(s)] ?? 0]))
      }))
    }
  }

  /** Which lists are worth buying: bad numbers per batch, at import and when dialed. */
  numberQuality(from: string, to: string): Output<'reports.numberQuality'> {
    const rows = this.db
      .prepare(
        `SELECT b.id, b.file_name, b.source, b.rows, b.imported, b.invalid,
           coalesce(sum((l.milestones & 1) <> 0), 0) AS dialed,
           coalesce(sum((l.milestones & 1) <> 0 AND l.last_outcome = 'vacant'), 0) AS vacant,
           coalesce(sum((l.milestones & 1) <> 0 AND l.last_outcome = 'suspended'), 0) AS suspended,
           coalesce(sum((l.milestones & 1) <> 0 AND l.last_outcome = 'wrong_number'), 0) AS wrong
         FROM import_batches b LEFT JOIN leads l ON l.batch_id = b.id
         WHERE b.created_at >= ? AND b.created_at < ? GROUP BY b.id ORDER BY b.id`
      )
      .all(from, to) as {
      id: number
      file_name: string
      source: string
      rows: number
      imported: number
      invalid: number
      dialed: number
      vacant: number
      suspended: number
      wrong: number
    }[]
    return rows.map((r) => ({
      batchId: r.id,
      batch: r.file_name,
      source: r.source,
      rows: r.rows,
      imported: r.imported,
      invalidAtImport: r.invalid,
      dialed: r.dialed,
      vacant: r.vacant,
      suspended: r.suspended,
      wrongNumber: r.wrong,
      badShare: rate(r.invalid + r.vacant + r.suspended + r.wrong, r.rows)
    }))
  }

  /**
   * The daily report of a centre's day: operators, the funnel of the day's batches, number quality
   * and the day's successes, one sheet each; kept under reports/ (made again when asked afresh).
   */
  async daily(day: string, locale: Locale, fresh = false): Promise<{ file: string; fileName: string }> {
    const t = (k: string) => translate(locale, k)
    const fileName = `${t('reports.dailyName')}-${day}.xlsx`
    const kept = this.db.prepare('SELECT file FROM daily_reports WHERE day = ?').pluck().get(day) as string | undefined
    if (kept && !fresh && existsSync(kept)) return { file: kept, fileName }
    const tz = this.settings().timeZone
    const from = atLocal(day, 0, tz).toISOString()
    const to = atLocal(addDays(day, 1), 0, tz).toISOString()
    const wb = new ExcelJS.Workbook()
    tableSheet(wb.addWorksheet(t('reports.operators')), t, 'reports.cols', OPERATOR_COLS, this.operators(from, to), [
      'connectRate',
      'conversion',
      'qaPassRate'
    ])
    funnelSheet(wb.addWorksheet(t('reports.funnel')), t, this.funnel(from, to))
    tableSheet(
      wb.addWorksheet(t('reports.numberQuality')),
      t,
      'reports.cols',
      QUALITY_COLS,
      this.numberQuality(from, to),
      ['badShare']
    )
    const suc = wb.addWorksheet(t('reports.successes'))
    suc.addRow([
      t('dispatch.package.successAt'),
      t('dispatch.package.customer'),
      t('dispatch.package.district'),
      t('dispatch.package.visitAt'),
      t('dispatch.package.operator')
    ]).font = { bold: true }
    const successes = this.db
      .prepare(
        `SELECT o.at, l.name, d.name AS district, o.visit_at, u.display_name AS operator FROM outcomes o JOIN leads l ON l.id = o.lead_id
         LEFT JOIN districts d ON d.code = o.district_code JOIN users u ON u.id = o.operator_id
         WHERE o.success = 1 AND o.simulated = 0 AND o.at >= ? AND o.at < ? ORDER BY o.at`
      )
      .all(from, to) as {
      at: string
      name: string
      district: string | null
      visit_at: string | null
      operator: string
    }[]
    for (const r of successes)
      suc.addRow([new Date(r.at), r.name, r.district ?? '', r.visit_at ? new Date(r.visit_at) : '', r.operator])
    for (const ws of wb.worksheets) ws.columns.forEach((c) => (c.width = 14))
    const dir = join(this.deps.dataDir, 'reports')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `daily-${day}.xlsx`)
    await wb.xlsx.writeFile(file)
    this.db
      .prepare(
        'INSERT INTO daily_reports (day, file, created_at) VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET file = excluded.file, created_at = excluded.created_at'
      )
      .run(day, file, this.deps.clock.now().toISOString())
    return { file, fileName }
  }

  dailyList(): { day: string; createdAt: string }[] {
    return this.db
      .prepare('SELECT day, created_at AS createdAt FROM daily_reports ORDER BY day DESC LIMIT 400')
      .all() as { day: string; createdAt: string }[]
  }

  /** The schedule (every minute): today's report once the daily time has come. Returns the day made, if any. */
  async tick(): Promise<string | null> {
    const s = this.settings()
    const now = this.deps.clock.now()
    const l = localTime(now, s.timeZone)
    if (l.minutes < hhmmToMinutes(s.reports.dailyAt)) return null
    if (this.db.prepare('SELECT 1 FROM daily_reports WHERE day = ?').get(l.day)) return null
    await this.daily(l.day, s.defaultLocale)
    return l.day
  }

  /** The report as an XLSX: the same figures the screen shows, in the caller's language. */
  async exportXlsx(
    report: 'operators' | 'funnel' | 'numberQuality' | 'districts',
    from: string,
    to: string,
    locale: Locale,
    campaignId?: number
  ): Promise<{ file: string; fileName: string }> {
    const t = (k: string) => translate(locale, k)
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet(t(`reports.${report}`))
    if (report === 'operators')
      tableSheet(ws, t, 'reports.cols', OPERATOR_COLS, this.operators(from, to, campaignId), [
        'connectRate',
        'conversion',
        'qaPassRate'
      ])
    else if (report === 'numberQuality')
      tableSheet(ws, t, 'reports.cols', QUALITY_COLS, this.numberQuality(from, to), ['badShare'])
    else if (report === 'funnel') funnelSheet(ws, t, this.funnel(from, to))
    else {
      const b = this.dispatch.board(from, to)
      tableSheet(
        ws,
        t,
        'dispatch.cols',
        ['district', 'dispatched', 'assigned', 'visited', 'signed', 'hoursToVisit'],
        b.districts
      )
      const agents = wb.addWorksheet(t('dispatch.ui.agentsTab'))
      tableSheet(
        agents,
        t,
        'dispatch.cols',
        ['agent', 'district', 'assigned', 'visited', 'signed', 'satisfied', 'complaints'],
        b.agents
      )
      agents.columns.forEach((c) => (c.width = 14))
    }
    ws.columns.forEach((c) => (c.width = 14))
    const dir = join(this.deps.dataDir, 'exports')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `report-${report}-${Date.now()}.xlsx`)
    await wb.xlsx.writeFile(file)
    return { file, fileName: `${t(`reports.${report}`)}-${from.slice(0, 10)}.xlsx` }
  }
}

/** Why a backup failed, in the reader's language when it was one of ours (its key is kept), else as it was. */
function backupError(detail: string | null, locale: Locale): string | null {
  const d = JSON.parse(detail ?? '{}') as { error?: string; key?: string; params?: Record<string, string | number> }
  return d.key ? translate(locale, d.key, d.params) : (d.error ?? null)
}
