import type { LibraryFilter, LibraryRow, Settings, User } from '../../../shared/contract'
import { regionText } from '../phone/geo'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { canSeeNumbers, phoneFor } from '../privacy'
import { toMetrics, type MetricsRow } from '../recordings/repo'
import { QaLibraryRepo, type LibraryDbRow } from './library-repo'

function qaState(
  r: Pick<LibraryDbRow, 'verdict' | 'review_state' | 'queue_state' | 'claimed_by' | 'claimed_until'>,
  now: string
): LibraryRow['qaState'] {
  if (r.verdict && r.review_state !== 'reopened') return r.verdict
  if (r.queue_state === 'open') return r.claimed_by !== null && r.claimed_until! > now ? 'claimed' : 'queued'
  return 'none'
}

/** 录音库: every recording with its call, outcome, QA state and metrics; the queue as a list; figures per operator. */
export class QaLibrary {
  readonly repo: QaLibraryRepo

  constructor(
    private deps: CoreDeps,
    private settings: () => Settings
  ) {
    this.repo = new QaLibraryRepo(deps.db)
  }

  private now(): string {
    return this.deps.clock.now().toISOString()
  }

  private toRow(r: LibraryDbRow, user: User, settings: Settings): LibraryRow {
    return {
      recordingId: r.recording_id,
      callId: r.call_id,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
      state: r.state,
      line: r.line,
      direction: r.direction,
      operatorId: r.operator_id,
      operatorName: r.operator_name,
      campaignName: r.campaign_name,
      leadId: r.lead_id,
      customerName: r.customer_name,
      phone: r.phone ? phoneFor(r.phone, user.role, settings) : null,
      phoneRegion: regionText(r.phone_province, r.phone_city),
      shownNumber: r.shown_number,
      outcome: r.outcome,
      success: r.success === 1,
      district: r.district,
      qaState: qaState(r, this.now()),
      reasons: r.reasons ? (JSON.parse(r.reasons) as string[]) : [],
      metrics: r.hung_up_by ? toMetrics(r as MetricsRow) : null
    }
  }

  library(
    user: User,
    input: { filter: LibraryFilter; sort: string; dir: 'asc' | 'desc'; offset: number; limit: number },
    teams: number[] | null = null
  ): { rows: LibraryRow[]; total: number } {
    const settings = this.settings()
    const { rows, total } = this.repo.search(user, input, this.now(), {
      teams,
      numbers: canSeeNumbers(user.role, settings)
    })
    return { rows: rows.map((r) => this.toRow(r, user, settings)), total }
  }

  queue(user: User, limit: number) {
    const iso = this.now()
    const settings = this.settings()
    return this.repo.openQueue(limit).map((r) => {
      const held = r.claimed_by !== null && r.claimed_until! > iso
      return {
        ...this.toRow(r, user, settings),
        addedAt: r.added_at,
        claimedBy: held ? r.holder : null,
        claimedUntil: held ? r.claimed_until : null,
        mine: held && r.claimed_by === user.id,
        gate: r.priority > 0
      }
    })
  }

  /** One library row by recording (for the review page and the export's sheet). */
  row(user: User, recordingId: number): LibraryRow {
    const r = this.repo.byRecording(recordingId)
    if (!r) throw new AppError('NOT_FOUND')
    return this.toRow(r, user, this.settings())
  }

  operatorStats(from: string, to: string) {
    const r4 = (n: number | null) => (n === null ? 0 : +n.toFixed(4))
    return this.repo.operatorStats(from, to).map((r) => ({
      operatorId: r.operator_id,
      operatorName: r.operator_name,
      calls: r.calls,
      talkOverShare: r4(r.talk_over),
      silenceShare: r4(r.silence),
      operatorTalkShare: r4(r.op_talk),
      longestMonologueMs: Math.round(r.mono ?? 0),
      reviews: r.reviews,
      passRate: r.pass_rate === null ? null : +r.pass_rate.toFixed(4),
      averageScore: r.score === null ? null : +r.score.toFixed(1)
    }))
  }
}
