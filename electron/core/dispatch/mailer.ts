import { rmSync } from 'node:fs'
import type { Locale, Settings } from '../../../shared/contract'
import { atLocal, hhmmToMinutes, localTime } from '../../../shared/domain/calling-time'
import { isWorkingDay } from '../../../shared/domain/day-calendar'
import type { CoreDeps } from '../context'
import type { RecordingFiles } from '../recordings/store'
import { buildSuccessPackage, mailSuccessPackage, type SmtpStore } from './package'
import type { PackageRepo } from './package-repo'

/** The day's daily report, made by the reports domain, goes with the package. */
export interface DailyReports {
  daily(day: string, locale: Locale): Promise<{ file: string; fileName: string }>
}

/**
 * The success package by e-mail (docs/domain.md: with the receiver by 20:00 every working day): the
 * day's XLSX and recordings, with the day's report, to the configured receivers — at the package
 * time once, or on demand — and what happened is kept per day.
 */
export class SuccessPackageMailer {
  constructor(
    private deps: CoreDeps,
    private repo: PackageRepo,
    private files: RecordingFiles,
    private smtp: SmtpStore,
    private reports: DailyReports,
    private settings: () => Settings
  ) {}

  /** Builds the day's package and e-mails it; remembers that it went (or why it did not). */
  async send(day: string, locale: Locale): Promise<{ sentTo: string[]; successes: number }> {
    const pkg = await buildSuccessPackage(this.deps, this.repo, this.files, day, locale)
    const at = this.deps.clock.now().toISOString()
    try {
      const report = await this.reports.daily(day, locale)
      const sentTo = await mailSuccessPackage(this.smtp, pkg, day, locale, report)
      this.repo.packageSent(day, pkg.successes, sentTo, at)
      return { sentTo, successes: pkg.successes }
    } catch (err) {
      this.repo.packageFailed(day, pkg.successes, err instanceof Error ? err.message : String(err), at)
      throw err
    } finally {
      rmSync(pkg.file, { force: true })
    }
  }

  /**
   * The schedule (every minute): on a working day at `receiveBy`, the day's package goes by e-mail
   * once, when the organisation asked for it (after a failure, again a quarter of an hour later).
   * Returns the day sent, if any.
   */
  async tick(): Promise<string | null> {
    const s = this.settings()
    if (!s.dispatch.packageEmail) return null
    const now = this.deps.clock.now()
    const l = localTime(now, s.timeZone)
    if (
      !isWorkingDay(l.day, s.dispatch.workdays, l.weekday, this.deps.calendar) ||
      now < atLocal(l.day, hhmmToMinutes(s.dispatch.receiveBy), s.timeZone)
    )
      return null
    // sent already, or failed less than a quarter of an hour ago (the mail server is down: try again later)
    if (this.repo.packageDone(l.day, new Date(now.getTime() - 15 * 60_000).toISOString())) return null
    await this.send(l.day, s.defaultLocale)
    return l.day
  }
}
