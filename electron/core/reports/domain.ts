import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import { defineDomain } from '../domain'
import type { DownloadStore } from '../downloads'
import type { ReportsService } from './service'
import type { TeamsService } from '../teams/service'
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * The supervisors' figures: the wallboard (told of changes by `board.touched` and `dispatch.released`,
 * coalesced to one `board.changed` a second for the screens — it never polls), the reports over a
 * period, their exports, and the daily report at its time.
 */
export function reportsDomain(deps: CoreDeps, reports: ReportsService, teams: TeamsService, downloads: DownloadStore) {
  let pending: ReturnType<typeof setTimeout> | null = null
  const boardChanged = (reason: string) => {
    pending ??= setTimeout(() => {
      pending = null
      deps.events.emit('board.changed', { reason })
    }, 1000)
    pending.unref?.()
  }
  const catchUp = async () => {
    while (reports.repo.catchUpCounts(10_000) > 0) await new Promise((r) => setImmediate(r))
  }
  const handlers: DomainHandlers<'reports'> = {
    'reports.live': (input, ctx) => reports.live(ctx.conn.locale, teams.scopeOf(requireUser(ctx).user, input.teamId)),
    'reports.operators': (input, ctx) =>
      reports.operators(input.from, input.to, input.campaignId, teams.scopeOf(requireUser(ctx).user, input.teamId)),
    'reports.teams': (input) => reports.teams(input.from, input.to, input.campaignId),
    'reports.funnel': (input) => reports.funnel(input.from, input.to),
    'reports.numberQuality': (input) => reports.numberQuality(input.from, input.to),
    'reports.dailyList': () => reports.dailyList(),
    'reports.daily': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = await reports.daily(input.day, ctx.conn.locale, input.fresh, teams.widestScope(user, input.teamId))
      // the kept (centre's) file stays: the download gets a copy; a team's file was made for this download
      let copy = r.file
      if (r.kept) {
        copy = join(deps.dataDir, 'exports', `daily-${input.day}-${Date.now()}.xlsx`)
        mkdirSync(dirname(copy), { recursive: true })
        copyFileSync(r.file, copy)
      }
      return {
        token: downloads.offer({
          file: copy,
          name: r.fileName,
          contentType: XLSX,
          deleteAfter: true,
          userId: user.id,
          sessionId: ctx.sessionId
        }),
        fileName: r.fileName
      }
    },
    'reports.export': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = await reports.exportXlsx(
        input.report,
        input.from,
        input.to,
        ctx.conn.locale,
        input.campaignId,
        teams.scopeOf(user, input.teamId)
      )
      deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'reports.export',
        entity: 'report',
        details: { report: input.report, from: input.from, to: input.to },
        source: ctx.conn.source
      })
      return {
        token: downloads.offer({
          file: r.file,
          name: r.fileName,
          contentType: XLSX,
          deleteAfter: true,
          userId: user.id,
          sessionId: ctx.sessionId
        }),
        fileName: r.fileName
      }
    }
  }
  return defineDomain({
    name: 'reports',
    subscribe: (bus) => {
      bus.on('board.touched', ({ reason }) => boardChanged(reason))
      bus.on('dispatch.released', () => boardChanged('dispatch.released'))
    },
    jobs: [
      { name: 'daily report', everyMs: 60_000, run: () => reports.tick() },
      // leads an import added are counted for the queue health, in chunks of a few milliseconds with
      // the event loop free between them (the desktop's window, the hub's other seats)
      { name: 'queue counts', everyMs: 2_000, run: () => catchUp(), always: true }
    ],
    handlers
  })
}
