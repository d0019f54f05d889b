import type Database from 'better-sqlite3'
import type { DayCalendar } from '../../../shared/domain/day-calendar'
import { Repo } from '../db/repo'
import type { NoticeDay } from './notice'
import { STATUTORY_CALENDAR, statutoryEnglishName } from './statutory'

export interface LoadedYear {
  year: number
  holidays: number
  workdays: number
  loadedAt: string
  loadedBy: string | null
}

class CalendarRepo extends Repo {
  days(): { day: string; kind: NoticeDay['kind']; name: string }[] {
    return this.all('SELECT day, kind, name FROM calendar_days')
  }

  years(): LoadedYear[] {
    return this.all(
      `SELECT y.year, y.loaded_at AS loadedAt, u.username AS loadedBy,
         (SELECT count(*) FROM calendar_days d WHERE d.year = y.year AND d.kind = 'holiday') AS holidays,
         (SELECT count(*) FROM calendar_days d WHERE d.year = y.year AND d.kind = 'workday') AS workdays
       FROM calendar_years y LEFT JOIN users u ON u.id = y.loaded_by ORDER BY y.year`
    )
  }

  /** A year's days replace whatever was loaded for it before. */
  replaceYear(year: number, notice: string, days: NoticeDay[], userId: number, at: string): void {
    this.transaction(() => {
      this.run('DELETE FROM calendar_days WHERE year = ?', year)
      this.run(
        `INSERT INTO calendar_years (year, notice, loaded_by, loaded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, loaded_by = excluded.loaded_by, loaded_at = excluded.loaded_at`,
        year,
        notice,
        userId,
        at
      )
      for (const d of days)
        this.run('INSERT INTO calendar_days (day, year, kind, name) VALUES (?, ?, ?, ?)', d.day, year, d.kind, d.name)
    })
  }
}

/**
 * The calendar the centre's windows and deadlines follow: the bundled statutory data, then the years
 * an administrator loaded from the State Council's notice before an update of the app brought them.
 * A year the bundled data covers always comes from it, so an update supersedes what was typed in.
 */
export class CentreCalendar implements DayCalendar {
  private repo: CalendarRepo
  private loaded = new Map<string, { kind: NoticeDay['kind']; name: string }>()
  private loadedYears = new Set<number>()

  constructor(db: Database.Database) {
    this.repo = new CalendarRepo(db)
    this.reload()
  }

  private reload(): void {
    this.loaded = new Map(this.repo.days().map((d) => [d.day, { kind: d.kind, name: d.name }]))
    this.loadedYears = new Set(this.repo.years().map((y) => y.year))
  }

  private fromBundle(day: string): boolean {
    return Number(day.slice(0, 4)) <= STATUTORY_CALENDAR.lastYear
  }

  holiday(day: string, locale: 'zh-CN' | 'en' = 'zh-CN'): string | null {
    if (this.fromBundle(day)) return STATUTORY_CALENDAR.holiday(day, locale)
    const e = this.loaded.get(day)
    if (e?.kind !== 'holiday') return null
    return locale === 'en' ? (statutoryEnglishName(e.name) ?? e.name) : e.name
  }

  workedWeekend(day: string): boolean {
    if (this.fromBundle(day)) return STATUTORY_CALENDAR.workedWeekend(day)
    return this.loaded.get(day)?.kind === 'workday'
  }

  get firstYear(): number {
    return STATUTORY_CALENDAR.firstYear
  }

  /** The bundled data's last year, and the loaded years right after it. */
  get lastYear(): number {
    let y = STATUTORY_CALENDAR.lastYear
    while (this.loadedYears.has(y + 1)) y++
    return y
  }

  /** The bundled data's own last year. */
  get bundledLastYear(): number {
    return STATUTORY_CALENDAR.lastYear
  }

  years(): LoadedYear[] {
    return this.repo.years().filter((y) => y.year > STATUTORY_CALENDAR.lastYear)
  }

  load(year: number, notice: string, days: NoticeDay[], userId: number, at: string): void {
    this.repo.replaceYear(year, notice, days, userId, at)
    this.reload()
  }
}
