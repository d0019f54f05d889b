import type { CoreDeps, DomainHandlers, HandlerMap } from '../context'
import { requireUser } from '../context'
import { AppError } from '../errors'
import type { DownloadStore } from '../downloads'
import type { FolderGrants } from '../folders'
import type { RecordingFiles } from '../recordings/store'
import type { RecordingsService } from '../recordings/service'
import type { QaService } from './service'
import { exportRecordings } from './export'

export function createQaHandlers(
  deps: CoreDeps,
  qa: QaService,
  recordings: RecordingsService,
  files: RecordingFiles,
  downloads: DownloadStore,
  folders: FolderGrants
): DomainHandlers<'qa' | 'scorecards'> & Pick<HandlerMap, 'recordings.export'> {
  const { db, audit } = deps
  return {
    'qa.library': (input, ctx) => qa.library(requireUser(ctx).user, input),
    'qa.queue': (input, ctx) => qa.queue(requireUser(ctx).user, input.limit),
    'qa.claim': (input, ctx) => qa.claim(requireUser(ctx).user, input.callId),
    'qa.release': (input, ctx) => {
      qa.release(requireUser(ctx).user, input.callId)
      return { ok: true as const }
    },
    'qa.flag': (input, ctx) => {
      const { user } = requireUser(ctx)
      qa.flag(user, input.callId, input.reason)
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
      const { metrics: _m, ...callRow } = qa.row(user, recording.id)
      const campaignId =
        (db.prepare('SELECT campaign_id FROM calls WHERE id = ?').pluck().get(callId) as number | null) ?? 1
      const review = db.prepare('SELECT id FROM qa_reviews WHERE call_id = ?').pluck().get(callId) as number | undefined
      const r = review === undefined ? null : qa.review(review)
      const steps = qa.steps(callId)
      return {
        recording,
        call: callRow,
        metrics:
          recording.state === 'recording'
            ? {
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
            : qa.metrics(recording.id),
        ticks: steps.ticks,
        missingSteps: steps.missing,
        annotations: qa.annotations(recording.id),
        scorecard: r ? qa.scorecard(r.scorecardId) : qa.currentScorecard(campaignId),
        review: r,
        claim: qa.claimOf(user, callId),
        flags: qa.flags(callId),
        gate: qa.gateOf(callId)
      }
    },
    'qa.annotate': (input, ctx) => qa.annotate(requireUser(ctx).user, input),
    'qa.deleteAnnotation': (input, ctx) => {
      qa.deleteAnnotation(requireUser(ctx).user, input.id)
      return { ok: true as const }
    },
    'qa.submit': (input, ctx) => qa.submit(requireUser(ctx).user, input),
    'qa.myReviews': (input, ctx) => qa.myReviews(requireUser(ctx).user, input.limit),
    'qa.appeal': (input, ctx) => qa.appeal(requireUser(ctx).user, input.reviewId, input.reason),
    'qa.appeals': () => qa.appeals(),
    'qa.decide': (input, ctx) => qa.decide(requireUser(ctx).user, input),
    'qa.returned': () => qa.returned(),
    'qa.settleReturned': (input, ctx) => {
      const { user } = requireUser(ctx)
      qa.settleReturned(user, input.leadId, input.action, input.note)
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
    'qa.operatorStats': (input) => qa.operatorStats(input.from, input.to),
    'scorecards.current': (input) => qa.currentScorecard(input.campaignId),
    'scorecards.publish': (input, ctx) => {
      const { user } = requireUser(ctx)
      const card = db.transaction(() => {
        const c = qa.publishScorecard(input.campaignId, input.body, user.id)
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
      })()
      return card
    },
    'recordings.export': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const { folderToken, ...what } = input
      if (folderToken !== undefined) {
        const folder = folders.take(folderToken)
        if (!folder) throw new AppError('NOT_FOUND', 'errors.exportFolderGone')
        const r = await exportRecordings(deps, files, qa, user, ctx.conn.locale, what, folder)
        return { token: null, fileName: r.fileName, folder: r.file, files: r.files, bytes: r.bytes }
      }
      const r = await exportRecordings(deps, files, qa, user, ctx.conn.locale, what)
      const token = downloads.offer({
        file: r.file,
        name: r.fileName,
        contentType: 'application/zip',
        deleteAfter: true,
        userId: user.id,
        ttlMs: 60 * 60_000
      })
      return { token, fileName: r.fileName, folder: null, files: r.files, bytes: r.bytes }
    }
  }
}
