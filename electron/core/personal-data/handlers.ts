import { join } from 'node:path'
import type { DomainHandlers } from '../context'
import { requireUser } from '../context'
import type { CoreDeps } from '../context'
import type { DncService } from '../dnc/service'
import type { DownloadStore } from '../downloads'
import type { RetentionService } from './retention'
import type { PrivacyService } from './service'

/** The privacy officer's methods (个人信息主体的权利) and the retention runs, over the hub and IPC. */
export function createPrivacyHandlers(
  deps: CoreDeps,
  privacy: PrivacyService,
  retention: RetentionService,
  dnc: DncService,
  downloads: DownloadStore
): DomainHandlers<'privacy' | 'retention'> {
  return {
    'privacy.lookup': (input) => {
      const phone = dnc.phone(input.phone)
      const { leads, counts } = privacy.repo.summary(phone)
      const { signedSales, openCases } = privacy.held(phone)
      return {
        phone,
        leads,
        ...counts,
        signedSales,
        openCases,
        erasures: privacy.repo
          .erasures(deps.keyedHash(phone), 20)
          .map((e) => ({ id: e.id, at: e.at, by: e.by, reason: e.reason, kind: e.kind }))
      }
    },
    'privacy.export': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const phone = dnc.phone(input.phone)
      // the number is in the file, never in its name
      const name = `personal-data-${deps.clock.now().toISOString().slice(0, 10)}.zip`
      const file = join(deps.dataDir, 'exports', `${process.pid}-${Date.now()}-${name}`)
      const r = await privacy.exportTo(phone, file, user, ctx.conn.source)
      const token = downloads.offer({
        file,
        name,
        contentType: 'application/zip',
        deleteAfter: true,
        userId: user.id,
        sessionId: ctx.sessionId
      })
      return { token, fileName: name, ...r }
    },
    'privacy.erase': (input, ctx) =>
      privacy.erase(dnc.phone(input.phone), input.reason, requireUser(ctx).user, ctx.conn.source),
    'privacy.correct': (input, ctx) => {
      privacy.correct(input.leadId, input.fields, requireUser(ctx).user, ctx.conn.source)
      return { ok: true as const }
    },
    'privacy.withdrawConsent': (input, ctx) =>
      privacy.withdrawConsent(dnc.phone(input.phone), input.reason, requireUser(ctx).user, ctx.conn.source),
    'retention.run': (input, ctx) => retention.run(input.dryRun, ctx.conn.source),
    'retention.last': () => retention.last()
  }
}
