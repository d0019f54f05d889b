import type { CallMetrics, Recording, User } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import type { DomainEvents } from '../domain-events'
import { AppError } from '../errors'
import { analysePeaks } from './analysis'
import type { MediaGrants } from './media'
import { RecordingsRepo, toMetrics, type RecordingRow } from './repo'
import type { RecordingFiles } from './store'
import type { RecordingArchive } from './archive'

/** The renderer sends a chunk about every second (MediaRecorder timeslice). */
export const CHUNK_MS = 1000
export const PEAK_FRAME_BYTES = 4 // int8 min/max for left and right

export function toRecording(r: RecordingRow): Recording {
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

/** Who else may listen to a call: a field agent to the calls of the visits assigned to them (dispatch knows). */
export interface ListenPolicy {
  agentMayListen(userId: number, callId: number): boolean
}

/**
 * Recordings: written chunk by chunk while the call runs, closed (done, or interrupted by a crash)
 * with their checksum, peaks and metrics — then `recording.closed` is published for QA's rules.
 */
export class RecordingsService {
  readonly repo: RecordingsRepo

  /** The softphone said a call ended: who follows calls (monitoring) hears it. */
  callEnded(callId: number, operatorId: number): void {
    this.bus.publish('call.ended', { callId, operatorId })
  }

  constructor(
    private deps: CoreDeps,
    private bus: DomainEvents,
    readonly files: RecordingFiles,
    private grants: MediaGrants,
    private listen: ListenPolicy,
    readonly archive: RecordingArchive
  ) {
    this.repo = new RecordingsRepo(deps.db)
  }

  row(id: number): RecordingRow | undefined {
    return this.repo.byId(id)
  }

  abs(r: { file: string }): string {
    return this.files.abs(this.deps.dataDir, r.file)
  }

  /** The operator's own recording while it is written. */
  mine(id: number, user: User): RecordingRow {
    const r = this.row(id)
    if (!r || r.operator_id !== user.id) throw new AppError('NOT_FOUND')
    return r
  }

  /** Who may listen: the operator to their own calls; a field agent to the calls of their visits; QA, supervisors, administrators to all. */
  listenable(id: number, user: User): RecordingRow {
    const r = this.row(id)
    if (!r) throw new AppError('NOT_FOUND')
    if (user.role === 'operator' && r.operator_id !== user.id) throw new AppError('FORBIDDEN')
    if (user.role === 'field_agent' && !this.listen.agentMayListen(user.id, r.call_id)) throw new AppError('FORBIDDEN')
    return r
  }

  /** A recording with its waveform peaks (base64); one still being written reads them from its file. */
  withPeaks(r: RecordingRow | number): Recording & { peaks: string } {
    const row = typeof r === 'number' ? this.row(r) : r
    if (!row) throw new AppError('NOT_FOUND')
    const peaks = row.peaks ?? (row.state === 'recording' ? this.files.peaks(this.abs(row)) : Buffer.alloc(0))
    return { ...toRecording(row), peaks: peaks.toString('base64') }
  }

  /** A recording closed: what its two channels say is computed from the stored peaks and kept; QA hears of it. */
  private closed(recordingId: number): void {
    const r = this.repo.forMetrics(recordingId)
    if (!r) return
    const { durationMs: _d, ...a } = analysePeaks(r.peaks ?? Buffer.alloc(0), r.peaks_per_sec)
    const hungUpBy = r.end_cause === 'operator' || r.end_cause === 'customer' ? r.end_cause : 'unknown'
    this.repo.putMetrics(recordingId, { ...a, hungUpBy })
    this.bus.publish('recording.closed', { recordingId, callId: r.call_id })
  }

  /** The metrics kept for a recording, if they have been computed. */
  storedMetrics(recordingId: number): CallMetrics | null {
    const m = this.repo.metrics(recordingId)
    return m ? toMetrics(m) : null
  }

  /** The metrics of a closed recording (computed now if it closed before metrics were kept). */
  metrics(recordingId: number): CallMetrics {
    if (!this.repo.metrics(recordingId)) this.closed(recordingId)
    return toMetrics(this.repo.metrics(recordingId)!)
  }

  /** The seat says every chunk is in: the file's checksum, size and peaks are stored and it is done. */
  async finish(r: RecordingRow, durationMs: number): Promise<void> {
    const file = this.abs(r)
    const sha256 = await this.files.sha256(file)
    this.repo.finish(r.id, {
      at: this.deps.clock.now().toISOString(),
      durationMs,
      bytes: this.files.size(file),
      sha256,
      peaks: this.files.peaks(file)
    })
    this.closed(r.id)
  }

  /**
   * Recordings left open by a crash (of the app, the renderer or the machine) are closed as
   * 'interrupted' with what reached the disk: size, checksum and peaks of that, still playable.
   */
  async recoverInterrupted(staleMs?: number): Promise<number> {
    // At start every open recording was cut off; while running, one whose renderer went silent
    // (a crashed window, a closed browser) for `staleMs`.
    const cutoff = staleMs === undefined ? null : new Date(this.deps.clock.now().getTime() - staleMs).toISOString()
    const open = this.repo.open(cutoff)
    for (const r of open) {
      const file = this.abs(r)
      const peaks = this.files.peaks(file)
      const frames = Math.floor(peaks.length / PEAK_FRAME_BYTES)
      const durationMs = Math.max(r.duration_ms, Math.round((frames * 1000) / r.peaks_per_sec))
      const bytes = this.files.size(file)
      const sha256 = bytes ? await this.files.sha256(file) : null
      const at = this.deps.clock.now().toISOString()
      this.repo.transaction(() => {
        this.repo.interrupt(r, { at, bytes, sha256, peaks: peaks.subarray(0, frames * PEAK_FRAME_BYTES), durationMs })
        this.deps.audit.write({
          userId: null,
          username: null,
          action: 'recordings.interrupted',
          entity: 'recording',
          entityId: r.id,
          details: { bytes, durationMs },
          source: 'system'
        })
      })
      this.closed(r.id)
    }
    return open.length
  }

  /**
   * Opens again a recording the sweep closed as interrupted, because its seat turned out to be
   * alive: the call's end that the sweep wrote is taken back too (the seat will say when it ends).
   */
  resume(r: RecordingRow, user: User, source: string): boolean {
    return this.repo.transaction(() => {
      if (!this.repo.reopen(r)) return false
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
    })
  }

  /** A short-lived grant to stream the file (hub HTTP, desktop protocol), audited. */
  grant(r: RecordingRow, user: User, sessionId: number, source: string) {
    const g = this.grants.grant({
      file: this.abs(r),
      recordingId: r.id,
      contentType: r.mime.split(';')[0],
      userId: user.id,
      sessionId
    })
    this.deps.audit.write({
      userId: user.id,
      username: user.username,
      action: 'recordings.listen',
      entity: 'recording',
      entityId: r.id,
      source
    })
    return g
  }
}
