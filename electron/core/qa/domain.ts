import type { CoreDeps } from '../context'
import { requireUser } from '../context'
import { defineDomain } from '../domain'
import type { DownloadStore } from '../downloads'
import { AppError } from '../errors'
import type { FolderGrants } from '../folders'
import type { RecordingsService } from '../recordings/service'
import { exportRecordings } from './export'
import type { QaLibrary } from './library'
import type { QaQueue } from './queue'
import type { QaReviews } from './reviews'
import type { TeamsService } from '../teams/service'

/** What a recording still being written shows until it closes. */
const NO_METRICS = {
  operatorTalkShare: 0,
  customerTalkShare: 0,
  silenceShare: 0,
  longestSilenceMs: 0,
  talkOverShare: 0,
  talkOverMs: 0,
  longestMonologueMs: 0,
  firstCustomerWordMs: null,
  hungUpBy: 'unknown' as const
}

/**
 * QA (质检): the queue and its claims, reviews and appeals, the library, the scorecards, and the
 * export of recordings with QA's verdicts (`recordings.export`). It listens to the desk's outcomes and
 * to closed recordings; it tells dispatch when a success passes the gate (`qa.gatePassed`).
 */
export function qaDomain(
  deps: CoreDeps,
  s: {
    queue: QaQueue
    teams: TeamsService
    reviews: QaReviews
    library: QaLibrary
    recordings: RecordingsService
    downloads: DownloadStore
    folders: FolderGrants
  }
) {
  const { audit } = deps
  const { queue, reviews, library, recordings, downloads, folders, teams } = s
  return defineDomain({
    name: 'qa',
    subscribe: (bus) => {
      bus.on('outcome.saved', (o) => queue.outcomeSaved(o))
      bus.on('recording.closed', ({ callId }) => queue.consider(callId))
    },
    handlers: {
      'qa.library': (input, ctx) => {
        const { user } = requireUser(ctx)
        return library.library(user, input, teams.scopeOf(user, undefined))
      },
      'qa.queue': (input, ctx) => library.queue(requireUser(ctx).user, input.limit),
      'qa.claim': (input, ctx) => queue.claim(requireUser(ctx).user, input.callId),
      'qa.release': (input, ctx) => {
        queue.release(requireUser(ctx).user, input.callId)
        return { ok: true as const }
      },
      'qa.flag': (input, ctx) => {
        const { user } = requireUser(ctx)
        queue.flag(user, input.callId, input.reason)
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'qa.flag',
          entity: 'call',
          entityId: input.callId,
          details: { reason: input.reason },
          source: ctx.conn.source
        })
        return { ok: true as const }
      },
      'qa.context': (input, ctx) => {
        const { user } = requireUser(ctx)
        const recording = recordings.withPeaks(input.recordingId)
        const callId = recording.callId
        const { metrics: _m, ...callRow } = library.row(user, recording.id)
        const review = reviews.reviewOfCall(callId)
        const steps = reviews.steps(callId)
        return {
          recording,
          call: callRow,
          metrics: recording.state === 'recording' ? NO_METRICS : recordings.metrics(recording.id),
          ticks: steps.ticks,
          missingSteps: steps.missing,
          annotations: reviews.annotations(recording.id),
          scorecard: review
            ? reviews.scorecard(review.scorecardId)
            : reviews.currentScorecard(library.repo.campaignOfCall(callId) ?? 1),
          review,
          claim: queue.claimOf(user, callId),
          flags: queue.flags(callId),
          gate: queue.gateOf(callId)
        }
      },
      'qa.annotate': (input, ctx) => reviews.annotate(requireUser(ctx).user, input),
      'qa.deleteAnnotation': (input, ctx) => {
        reviews.deleteAnnotation(requireUser(ctx).user, input.id)
        return { ok: true as const }
      },
      'qa.submit': (input, ctx) => reviews.submit(requireUser(ctx).user, input),
      'qa.myReviews': (input, ctx) => reviews.myReviews(requireUser(ctx).user, input.limit),
      'qa.appeal': (input, ctx) => reviews.appeal(requireUser(ctx).user, input.reviewId, input.reason),
      'qa.appeals': (input, ctx) => reviews.appeals(teams.scopeOf(requireUser(ctx).user, input.teamId)),
      'qa.decide': (input, ctx) => {
        const { user } = requireUser(ctx)
        // a supervisor decides the appeals of their own teams' operators
        teams.mustOversee(user, reviews.repo.byId(input.reviewId)?.operator_id)
        return reviews.decide(user, input)
      },
      'qa.returned': (input, ctx) => reviews.returned(teams.scopeOf(requireUser(ctx).user, input.teamId)),
      'qa.settleReturned': (input, ctx) => {
        const { user } = requireUser(ctx)
        teams.mustOversee(user, reviews.repo.returnedLead(input.leadId)?.operator_id)
        reviews.settleReturned(user, input.leadId, input.action, input.note, ctx.conn.locale)
        audit.write({
          userId: user.id,
          username: user.username,
          action: 'qa.settleReturned',
          entity: 'lead',
          entityId: input.leadId,
          details: { action: input.action, note: input.note ?? null },
          source: ctx.conn.source
        })
        return { ok: true as const }
      },
      'qa.operatorStats': (input, ctx) => {
        const { user } = requireUser(ctx)
        const scope = teams.scopeOf(user, undefined)
        return library.operatorStats(input.from, input.to).filter((r) => teams.inScope(scope, r.operatorId))
      },
      'scorecards.current': (input) => reviews.currentScorecard(input.campaignId),
      'scorecards.publish': (input, ctx) => {
        const { user } = requireUser(ctx)
        return reviews.repo.transaction(() => {
          const c = reviews.publishScorecard(input.campaignId, input.body, user.id)
          audit.write({
            userId: user.id,
            username: user.username,
            action: 'scorecards.publish',
            entity: 'campaign',
            entityId: input.campaignId,
            details: { version: c.version },
            source: ctx.conn.source
          })
          return c
        })
      },
      'recordings.export': async (input, ctx) => {
        const { user } = requireUser(ctx)
        const { folderToken, ...what } = input
        if (folderToken !== undefined) {
          const folder = folders.take(folderToken)
          if (!folder) throw new AppError('NOT_FOUND', 'errors.exportFolderGone')
          const r = await exportRecordings(deps, recordings.files, library, user, ctx.conn.locale, what, folder)
          return { token: null, fileName: r.fileName, folder: r.file, files: r.files, bytes: r.bytes }
        }
        const r = await exportRecordings(deps, recordings.files, library, user, ctx.conn.locale, what)
        const token = downloads.offer({
          file: r.file,
          name: r.fileName,
          contentType: 'application/zip',
          deleteAfter: true,
          userId: user.id,
          sessionId: ctx.sessionId,
          ttlMs: 60 * 60_000
        })
        return { token, fileName: r.fileName, folder: null, files: r.files, bytes: r.bytes }
      }
    }
  })
}
