import type Database from 'better-sqlite3'
import type { District } from '../../../shared/contract'
import type { DistrictSeed } from '../../../shared/domain/districts'
import type { CoreDeps, DomainHandlers } from '../context'
import { chinaDistricts } from './china'

interface Row {
  code: string
  name: string
  city: string
  province: string
  aliases: string
  direction: District['direction']
}

export class DistrictsRepo {
  constructor(private db: Database.Database) {}

  /** All districts, or one city's; `first` (the centre's city) leads the list, then by code. */
  list(city?: string, first?: string): District[] {
    const rows = (
      city
        ? this.db.prepare('SELECT * FROM districts WHERE city = ? ORDER BY code').all(city)
        : this.db.prepare('SELECT * FROM districts ORDER BY city <> ?, code').all(first ?? '')
    ) as Row[]
    return rows.map((r) => ({ ...r, aliases: JSON.parse(r.aliases) as string[] }))
  }

  exists(code: string): boolean {
    return this.db.prepare('SELECT 1 FROM districts WHERE code = ?').get(code) !== undefined
  }

  /**
   * Brings the table up to the bundled dataset: new districts are added, names, cities and former
   * names follow the data; a district's direction group (set for dispatch) is kept once set.
   */
  syncChina(): number {
    const have = this.db.prepare("SELECT count(*) FROM districts WHERE province <> ''").pluck().get() as number
    if (have >= chinaDistricts().length) return 0
    const stmt = this.db.prepare(
      `INSERT INTO districts (code, name, city, province, aliases, direction) VALUES (@code, @name, @city, @province, @aliases, @direction)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, city = excluded.city, province = excluded.province,
       aliases = excluded.aliases, direction = coalesce(districts.direction, excluded.direction)
       WHERE districts.name <> excluded.name OR districts.city <> excluded.city OR districts.province <> excluded.province
         OR districts.aliases <> excluded.aliases OR (districts.direction IS NULL AND excluded.direction IS NOT NULL)`
    )
    let changed = 0
    this.db
      .transaction(() => {
        for (const d of chinaDistricts()) changed += stmt.run({ ...d, aliases: JSON.stringify(d.aliases) }).changes
      })
      .immediate()
    return changed
  }

  upsert(seeds: readonly DistrictSeed[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO districts (code, name, city, province, aliases, direction) VALUES (@code, @name, @city, @province, @aliases, @direction)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, city = excluded.city, aliases = excluded.aliases,
       direction = excluded.direction`
    )
    for (const d of seeds) stmt.run({ province: '', ...d, aliases: JSON.stringify(d.aliases) })
  }
}

export function createDistrictsHandlers(
  _deps: CoreDeps,
  repo: DistrictsRepo,
  centreCity: () => string
): Pick<DomainHandlers<'districts'>, 'districts.list'> {
  return {
    'districts.list': (input) => repo.list(input.city, centreCity())
  }
}
