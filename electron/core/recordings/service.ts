import { HUB_MEDIA_PATH, type CallMetrics, type Recording, type User } from '../../../shared/contract'
import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import { AppError } from '../errors'
import type { MediaGrants } from './media'
import type { RecordingFiles } from './store'
import type { CampaignsService } from '../campaigns/service'
import type { DeskService } from '../desk/service'

/** The renderer sends a chunk about every second (MediaRecorder timeslice). */
export const CHUNK_MS = 1000
const PEAK_FRAME_BYTES = 4 // int8 min/max for left and right

interface Row {
  id: number
  call_id: number
  operator_id: number
  lead_id: number | null
  file: string
  mime: string
  state: Recording['state']
  started_at: string
  ended_at: string | null
  duration_ms: number
  bytes: number
  chunks: number
  sha256: string | null
  peaks: Buffer | null
  peaks_per_sec: number
  retention_class: Recording['retentionClass']
  line: Recording['line']
}

function toRecording(r: Row): Recording {
  return {
    id: r.id,
    callId: r.call_id,
    operatorId: r.operator_id,
    leadId: r.lead_id,
    line: r.line,
    mime: r.mime,
    state: r.state,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationMs: r.duration_ms,
    bytes: r.bytes,
    sha256: r.sha256,
    peaksPerSec: r.peaks_per_sec,
    retentionClass: r.retention_class
  }
}

export class RecordingsService {
  /** Told when a recording closes (done or interrupted): QA computes its metrics and runs the queue rules. */
  onClosed: (recordingId: number) => void = () => {}
  /** A field agent listens to the call of a visit assigned to them, and to nothing else. */
  agentMayListen: (userId: number, callId: number) => boolean = () => false
  /** The stored metrics of a closed recording (QA keeps them). */
  metricsOf: (recordingId: number) => CallMetrics = () => {
    throw new Error('no metrics source')
  }

  constructor(
    private deps: CoreDeps,
    private files: RecordingFiles,
    private grants: MediaGrants,
    private campaigns: CampaignsService,
    private desk: DeskService
  ) {}

  private row(id: number): Row | undefined {
    return this.deps.db
      .prepare('SELECT r.*, c.line FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.id = ?')
      .get(id) as Row | undefined
  }

  /** The operator's own recording while it is written. */
  private mineRecording(id: number, user: User): Row {
    const r = this.row(id)
    if (!r || r.operator_id !== user.id) throw new AppError('NOT_FOUND')
    return r
  }

  /** Who may listen: the operator to their own calls; a field agent to the calls of their visits; QA, supervisors, administrators to all. */
  private listenable(id: number, user: User): Row {
    const r = this.row(id)
    if (!r) throw new AppError('NOT_FOUND')
    if (user.role === 'operator' && r.operator_id !== user.id) throw new AppError('FORBIDDEN')
    if (user.role === 'field_agent' && !this.agentMayListen(user.id, r.call_id)) throw new AppError('FORBIDDEN')
    return r
  }

  /** A recording with its waveform peaks (base64); one still being written reads them from its file. */
  withPeaks(r: Row | number): Recording & { peaks: string } {
    const row = typeof r === 'number' ? this.row(r) : r
    if (!row) throw new AppError('NOT_FOUND')
    const peaks = row.peaks ?? (row.state === 'recording' ? this.files.peaks(this.abs(row)) : Buffer.alloc(0))
    return { ...toRecording(row), peaks: peaks.toString('base64') }
  }

  private abs(r: Row): string {
    return this.files.abs(this.deps.dataDir, r.file)
  }

  /**
   * Recordings left open by a crash (of the app, the renderer or the machine) are closed as
   * 'interrupted' with what reached the disk: size, checksum and peaks of that, still playable.
   */
  async recoverInterrupted(staleMs?: number): Promise<number> {
    // At start every open recording was cut off; while running, one whose renderer went silent
    // (a crashed window, a closed browser) for `staleMs`.
    const cutoff = staleMs === undefined ? null : new Date(this.deps.clock.now().getTime() - staleMs).toISOString()
    const open = this.deps.db
      .prepare(
        "SELECT r.*, c.line FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.state = 'recording' AND (@cutoff IS NULL OR coalesce(r.last_chunk_at, r.started_at) < @cutoff)"
      )
      .all({ cutoff }) as Row[]
    for (const r of open) {
      const file = this.abs(r)
      const peaks = this.files.peaks(file)
      const frames = Math.floor(peaks.length / PEAK_FRAME_BYTES)
      const durationMs = Math.max(r.duration_ms, Math.round((frames * 1000) / r.peaks_per_sec))
      const bytes = this.files.size(file)
      const sha = bytes ? await this.files.sha256(file) : null
      const now = this.deps.clock.now().toISOString()
      this.deps.db.transaction(() => {
        this.deps.db
          .prepare(
            "UPDATE recordings SET state = 'interrupted', ended_at = ?, bytes = ?, sha256 = ?, peaks = ?, duration_ms = ? WHERE id = ? AND state = 'recording'"
          )
          .run(now, bytes, sha, peaks.subarray(0, frames * PEAK_FRAME_BYTES), durationMs, r.id)
        this.deps.db
          .prepare(
            "UPDATE calls SET ended_at = coalesce(ended_at, ?), end_cause = coalesce(end_cause, 'interrupted') WHERE id = ?"
          )
          .run(now, r.call_id)
        this.deps.audit.write({
          userId: null,
          username: null,
          action: 'recordings.interrupted',
          entity: 'recording',
          entityId: r.id,
          details: { bytes, durationMs },
          source: 'system'
        })
      })()
      this.onClosed(r.id)
    }
    return open.length
  }

  /**
   * Opens again a recording the sweep closed as interrupted, because its seat turned out to be
   * alive: the call's end that the sweep wrote is taken back too (the seat will say when it ends).
   */
  private resume(r: Row, user: User, source: string): boolean {
    const { db } = this.deps
    return db.transaction(() => {
      const done = db
        .prepare(
          "UPDATE recordings SET state = 'recording', ended_at = NULL, sha256 = NULL, peaks = NULL WHERE id = ? AND state = 'interrupted'"
        )
        .run(r.id)
      if (done.changes !== 1) return false
      db.prepare("UPDATE calls SET ended_at = NULL, end_cause = NULL WHERE id = ? AND end_cause = 'interrupted'").run(
        r.call_id
      )
      this.deps.audit.write({
        userId: user.id,
        username: user.username,
        action: 'recordings.resumed',
        entity: 'recording',
        entityId: r.id,
        details: { chunks: r.chunks },
        source
      })
      return true
    })()
  }

  handlers(): Omit<DomainHandlers<'calls' | 'recordings'>, 'recordings.export'> {
    const { db, clock } = this.deps
    return {
      'calls.start': (input, ctx) => {
        const { user } = requireUser(ctx)
        const campaignId =
          input.leadId === undefined
            ? 1
            : (db.prepare('SELECT campaign_id FROM leads WHERE id = ?').pluck().get(input.leadId) as number | undefined)
        if (campaignId === undefined) throw new AppError('NOT_FOUND')
        const id = db.transaction(() => {
          const callId = Number(
            db
              .prepare(
                'INSERT INTO calls (operator_id, lead_id, direction, line, started_at, campaign_id) VALUES (?, ?, ?, ?, ?, ?)'
              )
              .run(user.id, input.leadId ?? null, input.direction, input.line, clock.now().toISOString(), campaignId)
              .lastInsertRowid
          )
          // The simulated line reaches no one; a real outbound number typed by hand obeys the calling rules.
          if (input.line === 'sip' && input.direction === 'outbound' && input.number)
            this.desk.checkManualDial(user, input.number, callId)
          return callId
        })()
        // An answered inbound call is the customer's own: they know whom they called, the notice is for outbound calls.
        return {
          callId: Number(id),
          recordingNotice: input.direction === 'outbound' && this.campaigns.get(campaignId).settings.recordingNotice
        }
      },
      'calls.end': (input, ctx) => {
        const { user } = requireUser(ctx)
        const now = clock.now().toISOString()
        const r = db
          .prepare(
            'UPDATE calls SET ended_at = coalesce(ended_at, ?), end_cause = coalesce(end_cause, ?), answered_at = CASE WHEN ? THEN coalesce(answered_at, started_at) ELSE answered_at END WHERE id = ? AND operator_id = ?'
          )
          .run(now, input.cause, input.answered ? 1 : 0, input.callId, user.id)
        if (r.changes !== 1) throw new AppError('NOT_FOUND')
        // the recording may have closed first: its metrics learn who hung up now
        if (input.cause === 'operator' || input.cause === 'customer')
          db.prepare(
            "UPDATE recording_metrics SET hung_up_by = ? WHERE hung_up_by = 'unknown' AND recording_id = (SELECT id FROM recordings WHERE call_id = ?)"
          ).run(input.cause, input.callId)
        return { ok: true as const }
      },
      'recordings.start': (input, ctx) => {
        const { user } = requireUser(ctx)
        const call = db
          .prepare('SELECT id, lead_id FROM calls WHERE id = ? AND operator_id = ?')
          .get(input.callId, user.id) as { id: number; lead_id: number | null } | undefined
        if (!call) throw new AppError('NOT_FOUND')
        if (db.prepare('SELECT 1 FROM recordings WHERE call_id = ?').get(call.id)) throw new AppError('CONFLICT')
        const now = clock.now()
        const ext = input.mime.startsWith('audio/ogg') ? 'ogg' : 'webm'
        const id = db.transaction(() => {
          const newId = Number(
            db
              .prepare(
                "INSERT INTO recordings (call_id, operator_id, lead_id, file, mime, state, started_at) VALUES (?, ?, ?, '', ?, 'recording', ?)"
              )
              .run(call.id, user.id, call.lead_id, input.mime, now.toISOString()).lastInsertRowid
          )
          const rel = this.files.newPath(now, newId, ext)
          db.prepare('UPDATE recordings SET file = ? WHERE id = ?').run(rel, newId)
          db.prepare('UPDATE calls SET answered_at = coalesce(answered_at, ?) WHERE id = ?').run(
            now.toISOString(),
            call.id
          )
          this.files.create(this.files.abs(this.deps.dataDir, rel))
          return newId
        })()
        return { recordingId: id, chunkMs: CHUNK_MS }
      },
      'recordings.chunk': (input, ctx) => {
        const { user } = requireUser(ctx)
        const r = this.mineRecording(input.recordingId, user)
        // A chunk sent again after a reconnect is acknowledged, never written twice.
        if (input.seq < r.chunks) return { bytes: r.bytes }
        if (r.state !== 'recording') {
          // The sweep closed it as interrupted while the seat was only slow (a busy machine, a stalled
          // network): the next chunk in order belongs at its end, so the recording goes on. Anything
          // else for a closed recording is acknowledged and dropped: a late chunk never stops a hang-up.
          if (!(r.state === 'interrupted' && input.seq === r.chunks && this.resume(r, user, ctx.conn.source))) {
            this.deps.audit.write({
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
        const bytes = this.files.append(this.abs(r), Buffer.from(input.data, 'base64'), peaks)
        db.prepare(
          'UPDATE recordings SET chunks = chunks + 1, bytes = ?, duration_ms = max(duration_ms, ?), last_chunk_at = ? WHERE id = ?'
        ).run(bytes, input.durationMs, clock.now().toISOString(), r.id)
        return { bytes }
      },
      'recordings.finish': async (input, ctx) => {
        const { user } = requireUser(ctx)
        let r = this.mineRecording(input.recordingId, user)
        // Closed as interrupted between its last chunk and this call: the seat says every chunk is in, so it is complete.
        if (r.state === 'interrupted' && input.chunks === r.chunks && this.resume(r, user, ctx.conn.source))
          r = this.row(r.id)!
        if (r.state !== 'recording') return toRecording(r)
        const file = this.abs(r)
        const sha = await this.files.sha256(file)
        const bytes = this.files.size(file)
        const peaks = this.files.peaks(file)
        db.prepare(
          "UPDATE recordings SET state = 'done', ended_at = ?, duration_ms = max(duration_ms, ?), bytes = ?, sha256 = ?, peaks = ? WHERE id = ? AND state = 'recording'"
        ).run(clock.now().toISOString(), input.durationMs, bytes, sha, peaks, r.id)
        this.onClosed(r.id)
        return toRecording(this.row(r.id)!)
      },
      'recordings.get': (input, ctx) => this.withPeaks(this.listenable(input.id, requireUser(ctx).user)),
      'recordings.list': (input, ctx) => {
        const { user } = requireUser(ctx)
        const rows = db
          .prepare(
            `SELECT r.*, c.line, u.display_name AS operator_name FROM recordings r JOIN calls c ON c.id = r.call_id JOIN users u ON u.id = r.operator_id
             WHERE (@mine IS NULL OR r.operator_id = @mine) AND (@before IS NULL OR r.id < @before) ORDER BY r.id DESC LIMIT @limit`
          )
          .all({
            mine: user.role === 'operator' ? user.id : null,
            before: input.beforeId ?? null,
            limit: input.limit
          }) as (Row & { operator_name: string })[]
        return rows.map((r) => ({ ...toRecording(r), operatorName: r.operator_name }))
      },
      'recordings.analysis': (input, ctx) => {
        const r = this.listenable(input.id, requireUser(ctx).user)
        return { durationMs: r.duration_ms, ...this.metricsOf(r.id) }
      },
      'recordings.media': (input, ctx) => {
        const { user } = requireUser(ctx)
        const r = this.listenable(input.id, user)
        const g = this.grants.grant({
          file: this.abs(r),
          contentType: r.mime.split(';')[0],
          userId: user.id,
          sessionId: requireUser(ctx).sessionId
        })
        this.deps.audit.write({
          userId: user.id,
          username: user.username,
          action: 'recordings.listen',
          entity: 'recording',
          entityId: r.id,
          source: ctx.conn.source
        })
        return { token: g.token, path: `${HUB_MEDIA_PATH}${g.token}`, expiresAt: g.expiresAt.toISOString() }
      }
    }
  }
}
