import ExcelJS from 'exceljs'
import { safeRow } from '../spreadsheet'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  FUNNEL_STEPS,
  MISSED_CALLBACK_MINUTES,
  type Live,
  type Locale,
  type OperatorRow,
  type Output,
  type Settings,
  type TeamRow
} from '../../../shared/contract'
import { addDays, atLocal, hhmmToMinutes, localTime } from '../../../shared/domain/calling-time'
import { translate } from '../../../shared/i18n'
import type { CampaignsService } from '../campaigns/service'
import type { CoreDeps } from '../context'
import type { DeskService } from '../desk/service'
import type { DispatchService } from '../dispatch/service'
import type { BackupService } from '../backup/service'
import { ReportsRepo } from './repo'
import type { TeamScope } from '../teams/service'

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
const TEAM_COLS = [
  'team',
  'operators',
  'calls',
  'connected',
  'connectRate',
  'talkSec',
  'successes',
  'conversion'
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
  ws.addRow(safeRow(cols.map((c) => t(`${headers}.${c}`)))).font = { bold: true }
  for (const r of rows) ws.addRow(safeRow(cols.map((c) => r[c])))
  for (const c of percent) ws.getColumn(cols.indexOf(c) + 1).numFmt = '0.0%'
}

/** The funnel: the steps with their rates, then the batches. */
function funnelSheet(ws: ExcelJS.Worksheet, t: T, f: Output<'reports.funnel'>): void {
  ws.addRow(safeRow([t('reports.cols.step'), t('reports.cols.count'), t('reports.cols.rate')])).font = { bold: true }
  for (const s of f.steps) ws.addRow(safeRow([t(`reports.steps.${s.step}`), s.count, s.rate]))
  ws.getColumn(3).numFmt = '0.0%'
  ws.addRow(safeRow([]))
  ws.addRow(
    safeRow([t('reports.cols.batch'), t('reports.cols.source'), ...FUNNEL_STEPS.map((s) => t(`reports.steps.${s}`))])
  ).font = { bold: true }
  for (const b of f.batches) ws.addRow(safeRow([b.batch, b.source, ...FUNNEL_STEPS.map((s) => b.counts[s])]))
}

/**
 * Supervisors' figures: the live wallboard (pushed by events, never polled) and the reports over a
 * period. Simulated (training) calls never count.
 */
export class ReportsService {
  readonly repo: ReportsRepo

  constructor(
    private deps: CoreDeps,
    private desk: DeskService,
    private campaigns: CampaignsService,
    private settings: () => Settings,
    private dispatch: DispatchService,
    private backups: BackupService,
    /** 未接来电 waiting for their callback (回拨路由); the caller-ID pool's health. */
    private telephony: {
      inbound?: { missedCounts(): Live['returnCalls'] }
      callerIds?: { poolHealth(): Live['callerPool'] }
      archive?: { wallboard(): Live['archive'] }
    } = {}
  ) {
    this.repo = new ReportsRepo(deps.db)
  }

  live(locale: Locale = 'zh-CN', teams: TeamScope = null): Live {
    const now = this.deps.clock.now()
    const iso = now.toISOString()
    const { day } = this.desk.todayBounds()
    // a few leads added since the last catch-up (a small import, the demo) are counted now; a big import's in the background
    this.repo.catchUpCounts(5_000)
    // today's figures (operators and campaigns) from the daily figures the triggers keep
    const operators = this.repo.operatorsToday(day, teams).map((o) => {
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
        const q = this.repo.queueHealth(c.id, c.settings.maxAttempts, iso)
        const f = this.repo.campaignToday(day, c.id, teams)
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
    // the same callbacks as the missed-callback table beside it: past due by MISSED_CALLBACK_MINUTES
    const callbacks = this.repo.overdueCallbacks(
      new Date(this.deps.clock.now().getTime() - MISSED_CALLBACK_MINUTES * 60_000).toISOString(),
      teams
    )
    const late = this.dispatch.lateCounts()
    const backup = this.backups.state(locale)
    return {
      operators,
      campaigns,
      overdue: { callbacks, dispatches: late.assign + late.confirm, followUps: late.followUps },
      returnCalls: this.telephony.inbound?.missedCounts() ?? { waiting: 0, overdue: 0 },
      callerPool: this.telephony.callerIds?.poolHealth() ?? {
        active: 0,
        suspended: 0,
        atCap: 0,
        calls: 0,
        answered: 0
      },
      archive: this.telephony.archive?.wallboard() ?? null,
      uncovered: this.dispatch.uncovered(),
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

  operators(from: string, to: string, campaignId?: number, teams: TeamScope = null): OperatorRow[] {
    const now = this.deps.clock.now().toISOString()
    const days = this.wholeDays(from, to)
    const rows = this.repo.operators({ from, to, days, campaign: campaignId ?? null, teams })
    const states = this.repo.stateTimes(from, to, now)
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

  /** Per team, summed from the operators' figures (the same daily rollups); the operators in no team last. */
  teams(from: string, to: string, campaignId?: number): TeamRow[] {
    const rows = this.repo.operators({
      from,
      to,
      days: this.wholeDays(from, to),
      campaign: campaignId ?? null,
      teams: null
    })
    const named = this.repo.teams()
    const groups = [
      ...named.map((tm) => ({ teamId: tm.id as number | null, team: tm.name as string | null })),
      { teamId: null, team: null }
    ]
    return groups
      .map(({ teamId, team }) => {
        const mine = rows.filter((r) => r.team_id === teamId)
        const sum = (k: 'calls' | 'connected' | 'talk' | 'successes') => mine.reduce((a, r) => a + r[k], 0)
        return {
          teamId,
          team,
          operators: mine.length,
          calls: sum('calls'),
          connected: sum('connected'),
          connectRate: rate(sum('connected'), sum('calls')),
          talkSec: Math.round(sum('talk')),
          successes: sum('successes'),
          conversion: rate(sum('successes'), sum('connected'))
        }
      })
      .filter((r) => r.teamId !== null || r.operators > 0)
  }

  /** The batches imported in the period, step by step to the follow-up (each lead's steps counted once, as they happened). */
  funnel(from: string, to: string): Output<'reports.funnel'> {
    const rows = this.repo.funnel(from, to)
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
    const rows = this.repo.numberQuality(from, to)
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
   * For a supervisor whose view is their own teams (`teams` not null) it is made for them each time,
   * of their teams' operators and successes only, and not kept; the funnel and number quality, which
   * are the centre's lists rather than a team's work, are left out of it.
   */
  async daily(
    day: string,
    locale: Locale,
    fresh = false,
    teams: TeamScope = null
  ): Promise<{ file: string; fileName: string; kept: boolean }> {
    const t = (k: string) => translate(locale, k)
    const fileName = `${t('reports.dailyName')}-${day}.xlsx`
    const kept = this.repo.dailyReportFile(day)
    if (teams === null && kept && !fresh && existsSync(kept)) return { file: kept, fileName, kept: true }
    const tz = this.settings().timeZone
    const from = atLocal(day, 0, tz).toISOString()
    const to = atLocal(addDays(day, 1), 0, tz).toISOString()
    const wb = new ExcelJS.Workbook()
    tableSheet(
      wb.addWorksheet(t('reports.operators')),
      t,
      'reports.cols',
      OPERATOR_COLS,
      this.operators(from, to, undefined, teams),
      ['connectRate', 'conversion', 'qaPassRate']
    )
    if (teams === null) {
      funnelSheet(wb.addWorksheet(t('reports.funnel')), t, this.funnel(from, to))
      tableSheet(
        wb.addWorksheet(t('reports.numberQuality')),
        t,
        'reports.cols',
        QUALITY_COLS,
        this.numberQuality(from, to),
        ['badShare']
      )
    }
    const suc = wb.addWorksheet(t('reports.successes'))
    suc.addRow(
      safeRow([
        t('dispatch.package.successAt'),
        t('dispatch.package.customer'),
        t('dispatch.package.district'),
        t('dispatch.package.visitAt'),
        t('dispatch.package.operator')
      ])
    ).font = { bold: true }
    const successes = this.repo.successes(from, to, teams)
    for (const r of successes)
      suc.addRow(
        safeRow([new Date(r.at), r.name, r.district ?? '', r.visit_at ? new Date(r.visit_at) : '', r.operator])
      )
    if (teams === null) {
      // 回访 not done in time: an exception the day's package carries until it is done
      const late = wb.addWorksheet(t('reports.lateFollowUps'))
      late.addRow(
        safeRow([
          t('dispatch.package.customer'),
          t('reports.followUpKind'),
          t('reports.followUpDue'),
          t('dispatch.package.district'),
          t('dispatch.cols.agent'),
          t('reports.followUpAttempts')
        ])
      ).font = { bold: true }
      const now = this.deps.clock.now().toISOString()
      for (const f of this.dispatch.repo.followUps('open', 1000).filter((x) => x.due_at < now))
        late.addRow(
          safeRow([
            f.customer_name ?? '',
            t(`followUps.kinds.${f.kind}`),
            new Date(f.due_at),
            f.district,
            f.agent_name ?? '',
            f.attempts
          ])
        )
    }
    for (const ws of wb.worksheets) ws.columns.forEach((c) => (c.width = 14))
    if (teams !== null) {
      const dir = join(this.deps.dataDir, 'exports')
      mkdirSync(dir, { recursive: true })
      const file = join(dir, `daily-${day}-teams-${Date.now()}.xlsx`)
      await wb.xlsx.writeFile(file)
      return { file, fileName, kept: false }
    }
    const dir = join(this.deps.dataDir, 'reports')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `daily-${day}.xlsx`)
    await wb.xlsx.writeFile(file)
    this.repo.keepDailyReport(day, file, this.deps.clock.now().toISOString())
    return { file, fileName, kept: true }
  }

  dailyList(): { day: string; createdAt: string }[] {
    return this.repo.dailyReports()
  }

  /** The schedule (every minute): today's report once the daily time has come. Returns the day made, if any. */
  async tick(): Promise<string | null> {
    const s = this.settings()
    const now = this.deps.clock.now()
    const l = localTime(now, s.timeZone)
    if (l.minutes < hhmmToMinutes(s.reports.dailyAt)) return null
    if (this.repo.dailyReportFile(l.day) !== undefined) return null
    await this.daily(l.day, s.defaultLocale)
    return l.day
  }

  /** The report as an XLSX: the same figures the screen shows, in the caller's language. */
  async exportXlsx(
    report: 'operators' | 'teams' | 'funnel' | 'numberQuality' | 'districts',
    from: string,
    to: string,
    locale: Locale,
    campaignId?: number,
    teams: TeamScope = null
  ): Promise<{ file: string; fileName: string }> {
    const t = (k: string) => translate(locale, k)
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet(t(`reports.${report}`))
    if (report === 'operators')
      tableSheet(ws, t, 'reports.cols', OPERATOR_COLS, this.operators(from, to, campaignId, teams), [
        'connectRate',
        'conversion',
        'qaPassRate'
      ])
    else if (report === 'numberQuality')
      tableSheet(ws, t, 'reports.cols', QUALITY_COLS, this.numberQuality(from, to), ['badShare'])
    else if (report === 'funnel') funnelSheet(ws, t, this.funnel(from, to))
    else if (report === 'teams')
      tableSheet(
        ws,
        t,
        'reports.cols',
        TEAM_COLS,
        this.teams(from, to, campaignId).map((r) => ({ ...r, team: r.team ?? t('reports.noTeam') })),
        ['connectRate', 'conversion']
      )
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
