import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import type { DownloadStore } from '../downloads'
import type { RecordingFiles } from '../recordings/store'
import type { DispatchService } from './service'
import { buildSuccessPackage, type SmtpStore } from './package'

export function createDispatchHandlers(
  deps: CoreDeps,
  dispatch: DispatchService,
  smtp: SmtpStore,
  files: RecordingFiles,
  downloads: DownloadStore
): DomainHandlers<'dispatch' | 'smtp' | 'followUps'> {
  const { audit } = deps
  return {
    'dispatch.list': (input, ctx) => dispatch.list(requireUser(ctx).user, input.state, input.limit),
    'dispatch.agents': (input, ctx) => dispatch.agents(requireUser(ctx).user, input.dispatchId),
    'dispatch.team': (_input, ctx) => dispatch.team(requireUser(ctx).user),
    'dispatch.assign': (input, ctx) =>
      dispatch.assign(requireUser(ctx).user, input.dispatchId, input.agentId, input.note),
    'dispatch.myVisits': (_input, ctx) => dispatch.myVisits(requireUser(ctx).user),
    'dispatch.report': (input, ctx) => dispatch.report(requireUser(ctx).user, input),
    'dispatch.board': (input) => dispatch.board(input.from, input.to),
    'dispatch.package': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const p = await buildSuccessPackage(deps, files, input.day, ctx.conn.locale)
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'dispatch.package',
        entity: 'package',
        details: { day: input.day, successes: p.successes },
        source: ctx.conn.source
      })
      return {
        token: downloads.offer({
          file: p.file,
          name: p.fileName,
          contentType: 'application/zip',
          deleteAfter: true,
          userId: user.id
        }),
        fileName: p.fileName,
        successes: p.successes
      }
    },
    'dispatch.sendPackage': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = await dispatch.sendPackage(input.day, ctx.conn.locale)
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'dispatch.sendPackage',
        entity: 'package',
        details: { day: input.day, ...r },
        source: ctx.conn.source
      })
      return r
    },
    'smtp.get': () => smtp.get(),
    'smtp.set': (input, ctx) => {
      const { user } = requireUser(ctx)
      const s = smtp.set(input)
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'smtp.set',
        entity: 'settings',
        details: { host: input.host, to: input.to, password: input.password ? 'changed' : 'kept' },
        source: ctx.conn.source
      })
      return s
    },
    'followUps.list': (input, ctx) => dispatch.followUps(requireUser(ctx).user, input.state, input.limit),
    'followUps.dial': (input, ctx) => dispatch.dialFollowUp(requireUser(ctx).user, input.followUpId, input.line),
    'followUps.complete': (input, ctx) => dispatch.completeFollowUp(requireUser(ctx).user, input),
    'followUps.report': (input) => dispatch.followUpReport(input.from, input.to)
  }
}
