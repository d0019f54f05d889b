import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import type { DownloadStore } from '../downloads'
import type { ReportsService } from './service'

export function createReportsHandlers(deps: CoreDeps, reports: ReportsService, downloads: DownloadStore): DomainHandlers<'reports'> {
  return {
    'reports.live': () => reports.live(),
    'reports.operators': (input) => reports.operators(input.from, input.to),
    'reports.funnel': (input) => reports.funnel(input.from, input.to),
    'reports.numberQuality': (input) => reports.numberQuality(input.from, input.to),
    'reports.export': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = await reports.exportXlsx(input.report, input.from, input.to, ctx.conn.locale)
      deps.audit.write({ userId: user.id, username: user.username, action: 'reports.export', entity: 'report', details: { report: input.report, from: input.from, to: input.to }, source: ctx.conn.source })
      return {
        token: downloads.offer({ file: r.file, name: r.fileName, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', deleteAfter: true, userId: user.id }),
        fileName: r.fileName
      }
    }
  }
}
