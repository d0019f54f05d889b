import type { CoreDeps, DomainHandlers, HandlerMap } from '../context'
import { requireUser } from '../context'
import { defineDomain } from '../domain'
import type { DownloadStore } from '../downloads'
import type { RecordingFiles } from '../recordings/store'
import type { FollowUps } from './follow-ups'
import type { SuccessPackageMailer } from './mailer'
import { buildSuccessPackage, type SmtpStore } from './package'
import type { DispatchService } from './service'
import type { PackageRepo } from './package-repo'
import type { PbxDial } from '../sip/pbx-dial'
import { phoneFor } from '../privacy'
import type { Settings } from '../../../shared/contract'

/**
 * 派单与回访: a success that passed the QA gate (`qa.gatePassed`) becomes a dispatch for its district's
 * team; leaders assign, field agents report, visits become follow-ups; the success package goes out
 * at its time every working day.
 */
export function dispatchDomain(
  deps: CoreDeps,
  s: {
    dispatch: DispatchService
    followUps: FollowUps
    mailer: SuccessPackageMailer
    smtp: SmtpStore
    packages: PackageRepo
    files: RecordingFiles
    downloads: DownloadStore
    pbxDial: PbxDial
    settings: () => Settings
  }
) {
  const { audit } = deps
  const { dispatch, followUps, mailer, smtp, files, downloads, packages } = s
  const handlers: DomainHandlers<'dispatch' | 'smtp' | 'followUps'> &
    Pick<HandlerMap, 'districts.coverage' | 'districts.setCover'> = {
    'dispatch.list': (input, ctx) => dispatch.list(requireUser(ctx).user, input.state, input.limit),
    'dispatch.agents': (input, ctx) => dispatch.agents(requireUser(ctx).user, input.dispatchId),
    'dispatch.team': (_input, ctx) => dispatch.team(requireUser(ctx).user),
    'dispatch.assign': (input, ctx) =>
      dispatch.assign(requireUser(ctx).user, input.dispatchId, input.agentId, input.note),
    'dispatch.myVisits': (_input, ctx) => dispatch.myVisits(requireUser(ctx).user),
    'dispatch.report': (input, ctx) => dispatch.report(requireUser(ctx).user, input),
    'dispatch.board': (input) => dispatch.board(input.from, input.to),
    'districts.coverage': () => dispatch.coverage(),
    'districts.setCover': (input, ctx) => {
      dispatch.setCover(requireUser(ctx).user, input.code, input.coveredBy)
      return { ok: true as const }
    },
    'dispatch.package': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const p = await buildSuccessPackage(deps, packages, files, input.day, ctx.conn.locale, (phone) =>
        phoneFor(phone, user.role, s.settings())
      )
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
          userId: user.id,
          sessionId: ctx.sessionId
        }),
        fileName: p.fileName,
        successes: p.successes
      }
    },
    'dispatch.sendPackage': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = await mailer.send(input.day, ctx.conn.locale)
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
    'followUps.list': (input, ctx) => followUps.list(requireUser(ctx).user, input.state, input.limit),
    'followUps.dial': (input, ctx) => {
      const { user } = requireUser(ctx)
      const { number, trunkZero, ...r } = followUps.dial(user, input.followUpId, input.line)
      return { ...r, dial: s.pbxDial.target(user.id, r.callId, number, trunkZero, input.line) }
    },
    'followUps.complete': (input, ctx) => followUps.complete(requireUser(ctx).user, input),
    'followUps.report': (input) => followUps.report(input.from, input.to)
  }
  return defineDomain({
    name: 'dispatch',
    subscribe: (bus) => bus.on('qa.gatePassed', ({ leadId }) => dispatch.release(leadId)),
    jobs: [{ name: 'success package', everyMs: 60_000, run: () => mailer.tick() }],
    handlers
  })
}
