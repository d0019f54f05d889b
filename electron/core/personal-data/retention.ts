import { readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Settings } from '../../../shared/contract'
import { localTime } from '../../../shared/domain/calling-time'
import type { CoreDeps } from '../context'
import type { DncList } from '../dnc/list'
import type { PrivacyService } from './service'

const DAY = 86_400_000

export interface RetentionReport {
  at: string
  dryRun: boolean
  /** The rules applied (settings.retention) and the cut-off dates they gave. */
  rules: Settings['retention'] & { backupKeepDays: number }
  cutoffs: {
    supplierRows: string
    unsigned: string
    signedShort: string
    signedLong: string
    exports: string
    uploads: string
  }
  /** What went (or, in a dry run, would go). */
  removed: {
    supplierRows: number
    leadsUnsigned: number
    leadsRefused: number
    leadsSigned: number
    calls: number
    recordings: number
    recordingFiles: number
    unknownCallerCalls: number
    numbersHashed: number
    exports: number
    uploads: number
  }
}

/** Files directly or deeply under @dir whose last change is before @before (ms). */
function oldFiles(dir: string, before: number): string[] {
  const out: string[] = []
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return out
  }
  for (const n of names) {
    const p = join(dir, n)
    try {
      const st = statSync(p)
      if (st.isDirectory()) {
        const inner = oldFiles(p, before)
        out.push(...inner)
        if (st.mtimeMs < before && inner.length === readdirSync(p).length) out.push(p)
      } else if (st.mtimeMs < before) out.push(p)
    } catch {
      // gone meanwhile
    }
  }
  return out
}

/**
 * 保留期限: every class of personal data has its time (settings.retention, docs/domain.md) and what
 * is past it goes — the rows, the recordings' files, the exports and uploads left on disk — by
 * itself once a day and on demand (a dry run says what would go). A refused customer keeps only the
 * number's keyed hash on the do-not-call list. A backup set holds what was there when it was made
 * and leaves with the rotation (backup.keepDays).
 */
export class RetentionService {
  constructor(
    private deps: CoreDeps,
    private privacy: PrivacyService,
    private dnc: DncList,
    private settings: () => Settings
  ) {}

  run(dryRun: boolean, source: string): RetentionReport {
    const s = this.settings()
    const r = s.retention
    const now = this.deps.clock.now()
    const ago = (days: number) => new Date(now.getTime() - days * DAY)
    const yearsAgo = (years: number) => {
      const d = new Date(now)
      d.setUTCFullYear(d.getUTCFullYear() - years)
      return d.toISOString()
    }
    const cutoffs = {
      supplierRows: ago(r.supplierRowsDays).toISOString(),
      unsigned: ago(r.unsignedDays).toISOString(),
      signedShort: yearsAgo(r.signedShortYears),
      signedLong: yearsAgo(r.signedLongYears),
      exports: ago(r.exportDays).toISOString(),
      uploads: ago(r.rejectedUploadDays).toISOString()
    }
    const removed: RetentionReport['removed'] = {
      supplierRows: this.privacy.repo.expiredImportCells(cutoffs.supplierRows, dryRun),
      leadsUnsigned: 0,
      leadsRefused: 0,
      leadsSigned: 0,
      calls: 0,
      recordings: 0,
      recordingFiles: 0,
      unknownCallerCalls: 0,
      numbersHashed: 0,
      exports: 0,
      uploads: 0
    }
    // leads past their time, a chunk at a time (each its own transaction: the desks never wait long)
    let afterId = 0
    for (;;) {
      const chunk = this.privacy.repo.expiredLeads({
        before: cutoffs.unsigned,
        signedShort: cutoffs.signedShort,
        signedLong: cutoffs.signedLong,
        now: now.toISOString(),
        afterId,
        limit: 2_000
      })
      if (!chunk.length) break
      afterId = chunk[chunk.length - 1].id
      for (const l of chunk) {
        if (l.signed) removed.leadsSigned++
        else if (l.status === 'refused' || l.status === 'dnc') removed.leadsRefused++
        else removed.leadsUnsigned++
      }
      if (dryRun) continue
      const { removed: gone, files } = this.privacy.removeLeads(chunk.map((l) => l.id))
      removed.calls += gone.calls
      removed.recordings += gone.recordings
      removed.recordingFiles += files
      // a number with nothing left keeps only its keyed hash where the do-not-call list must still know it
      this.privacy.repo.transaction(() => {
        for (const phone of new Set(chunk.map((l) => l.phone)))
          if (this.privacy.repo.numberGone(phone)) {
            removed.numbersHashed += this.dnc.forgetNumber(phone, this.deps.keyedHash(phone)) > 0 ? 1 : 0
            this.privacy.repo.forgetDialAttempts(phone)
          }
      })
    }
    // calls of unknown callers (no lead) and their recordings
    const orphans = this.privacy.repo.expiredOrphanCalls(cutoffs.unsigned)
    removed.unknownCallerCalls = orphans.length
    if (!dryRun && orphans.length) {
      const files = orphans.map((o) => o.file).filter((f): f is string => !!f)
      this.privacy.repo.gate(() => this.privacy.repo.removeOrphanCalls(orphans.map((o) => o.callId)))
      removed.recordingFiles += this.privacy.removeFiles(files)
    }
    // files left on disk: exports (reports, recordings, lists) and uploads never imported
    for (const [dir, cut, key] of [
      ['exports', cutoffs.exports, 'exports'],
      ['uploads', cutoffs.uploads, 'uploads']
    ] as const) {
      const files = oldFiles(join(this.deps.dataDir, dir), new Date(cut).getTime())
      removed[key] = files.length
      if (!dryRun) for (const f of files) rmSync(f, { recursive: true, force: true })
    }
    if (!dryRun) this.privacy.repo.checkpoint()
    const report: RetentionReport = {
      at: now.toISOString(),
      dryRun,
      rules: { ...r, backupKeepDays: s.backup.keepDays },
      cutoffs,
      removed
    }
    this.privacy.repo.saveRun(report.at, dryRun, source, report)
    this.deps.audit.write({
      userId: null,
      username: 'system',
      action: dryRun ? 'retention.dryRun' : 'retention.run',
      entity: 'retention',
      details: removed,
      source
    })
    if (!dryRun) this.deps.events.emit('leads.changed', { reason: 'retention' })
    return report
  }

  /** The daily run: once per day of the centre, the first tick of the day. */
  daily(): RetentionReport | null {
    const tz = this.settings().timeZone
    const today = localTime(this.deps.clock.now(), tz).day
    const last = this.privacy.repo.lastRealRun()
    if (last && localTime(new Date(last), tz).day === today) return null
    return this.run(false, 'timer')
  }

  last(): RetentionReport | null {
    const r = this.privacy.repo.lastRun()
    return r ? (JSON.parse(r.report) as RetentionReport) : null
  }
}
