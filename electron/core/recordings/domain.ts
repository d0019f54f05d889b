import { HUB_MEDIA_PATH } from '../../../shared/contract'
import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import { defineDomain } from '../domain'
import { AppError } from '../errors'
import type { CampaignsService } from '../campaigns/service'
import type { DeskService } from '../desk/service'
import type { InboundRouter } from '../inbound/service'
import type { PbxDial } from '../sip/pbx-dial'
import { CHUNK_MS, PEAK_FRAME_BYTES, toRecording, type RecordingsService } from './service'

/**
 * Calls and their recordings: written chunk by chunk while the call runs, closed with their checksum,
 * peaks and metrics (`recording.closed`), streamed to those who may listen. The export of recordings
 * with QA's verdicts (`recordings.export`) belongs to QA.
 */
export function recordingsDomain(
  deps: CoreDeps,
  recordings: RecordingsService,
  campaigns: CampaignsService,
  desk: DeskService,
  pbxDial: PbxDial,
  inbound: InboundRouter
) {
  const { clock, audit } = deps
  const repo = recordings.repo
  const handlers: Omit<DomainHandlers<'calls' | 'recordings'>, 'recordings.export'> = {
    'calls.start': (input, ctx) => {
      const { user } = requireUser(ctx)
      // a return call the hub routed to this seat: that call, on its lead (never a lead the client names)
      if (input.routedCallId !== undefined && input.direction === 'inbound' && input.line === 'sip') {
        const c = inbound.answer(user, input.routedCallId)
        return { callId: c.id, dial: null, recordingNotice: false, callerId: null }
      }
      // no lead from the client: a queue lead's call is desk.dial's, which checks the lease
      const campaignId = 1
      let callerId: string | null = null
      const callId = repo.transaction(() => {
        const id = repo.startCall({
          operatorId: user.id,
          leadId: null,
          direction: input.direction,
          line: input.line,
          at: clock.now().toISOString(),
          campaignId
        })
        // The simulated line reaches no one; a real outbound number typed by hand obeys the calling rules.
        if (input.line === 'sip' && input.direction === 'outbound' && input.number)
          callerId = desk.checkManualDial(user, input.number, id)
        return id
      })
      // An answered inbound call is the customer's own: they know whom they called, the notice is for outbound calls.
      // A number typed by hand is dialled through the PBX like a lead's (by token when tokens are on).
      const dial =
        input.direction === 'outbound' && input.number
          ? pbxDial.target(user.id, callId, input.number, false, input.line)
          : null
      return {
        callId,
        dial,
        recordingNotice: input.direction === 'outbound' && campaigns.get(campaignId).settings.recordingNotice,
        callerId
      }
    },
    'calls.end': (input, ctx) => {
      const { user } = requireUser(ctx)
      // a routed return call that stopped ringing unanswered is a missed call, with its callback
      if (!input.answered) inbound.ended(input.callId, user.id, input.cause)
      if (!repo.endCall(input.callId, user.id, input.cause, input.answered, clock.now().toISOString()))
        throw new AppError('NOT_FOUND')
      // the recording may have closed first: its metrics learn who hung up now
      if (input.cause === 'operator' || input.cause === 'customer') repo.hungUpBy(input.callId, input.cause)
      recordings.callEnded(input.callId, user.id)
      return { ok: true as const }
    },
    'recordings.start': (input, ctx) => {
      const { user } = requireUser(ctx)
      const call = repo.callOf(input.callId, user.id)
      if (!call) throw new AppError('NOT_FOUND')
      if (repo.hasRecording(call.id)) throw new AppError('CONFLICT')
      const now = clock.now()
      const ext = input.mime.startsWith('audio/ogg') ? 'ogg' : 'webm'
      const { id } = repo.transaction(() => {
        const r = repo.start(call, user.id, input.mime, now.toISOString(), (newId) =>
          recordings.files.newPath(now, newId, ext)
        )
        recordings.files.create(recordings.abs(r))
        return r
      })
      return { recordingId: id, chunkMs: CHUNK_MS }
    },
    'recordings.chunk': (input, ctx) => {
      const { user } = requireUser(ctx)
      const r = recordings.mine(input.recordingId, user)
      // A chunk sent again after a reconnect is acknowledged, never written twice.
      if (input.seq < r.chunks) return { bytes: r.bytes }
      if (r.state !== 'recording') {
        // The sweep closed it as interrupted while the seat was only slow (a busy machine, a stalled
        // network): the next chunk in order belongs at its end, so the recording goes on. Anything
        // else for a closed recording is acknowledged and dropped: a late chunk never stops a hang-up.
        if (!(r.state === 'interrupted' && input.seq === r.chunks && recordings.resume(r, user, ctx.conn.source))) {
          audit.write({
            userId: user.id,
            username: user.username,
            action: 'recordings.lateChunk',
            entity: 'recording',
            entityId: r.id,
            details: { seq: input.seq, chunks: r.chunks, state: r.state },
            source: ctx.conn.source
          })
          return { bytes: r.bytes, dropped: true }
        }
      }
      if (input.seq > r.chunks)
        throw new AppError('CONFLICT', 'errors.recordingGap', { expected: r.chunks, got: input.seq })
      const peaks = Buffer.from(input.peaks, 'base64')
      if (peaks.length % PEAK_FRAME_BYTES) throw new AppError('INVALID_INPUT')
      const bytes = recordings.files.append(recordings.abs(r), Buffer.from(input.data, 'base64'), peaks)
      repo.chunkWritten(r.id, bytes, input.durationMs, clock.now().toISOString())
      return { bytes }
    },
    'recordings.finish': async (input, ctx) => {
      const { user } = requireUser(ctx)
      let r = recordings.mine(input.recordingId, user)
      // Closed as interrupted between its last chunk and this call: the seat says every chunk is in, so it is complete.
      if (r.state === 'interrupted' && input.chunks === r.chunks && recordings.resume(r, user, ctx.conn.source))
        r = recordings.row(r.id)!
      if (r.state !== 'recording') return toRecording(r)
      await recordings.finish(r, input.durationMs)
      return toRecording(recordings.row(r.id)!)
    },
    'recordings.get': (input, ctx) => recordings.withPeaks(recordings.listenable(input.id, requireUser(ctx).user)),
    'recordings.list': (input, ctx) => {
      const { user } = requireUser(ctx)
      const rows = repo.list(user.role === 'operator' ? user.id : null, input.beforeId ?? null, input.limit)
      return rows.map((r) => ({ ...toRecording(r), operatorName: r.operator_name }))
    },
    'recordings.analysis': (input, ctx) => {
      const r = recordings.listenable(input.id, requireUser(ctx).user)
      return { durationMs: r.duration_ms, ...recordings.metrics(r.id) }
    },
    'recordings.media': async (input, ctx) => {
      const { user, sessionId } = requireUser(ctx)
      const r = recordings.listenable(input.id, user)
      const g = recordings.grant(r, user, sessionId, ctx.conn.source)
      // archived in a store the seats reach: a signed address for an hour, else the hub serves it
      const url = await recordings.archive.presigned(r.id, 3600)
      return { token: g.token, path: `${HUB_MEDIA_PATH}${g.token}`, url, expiresAt: g.expiresAt.toISOString() }
    }
  }
  return defineDomain({ name: 'recordings', handlers })
}
