import type Database from 'better-sqlite3'
import type { District } from '../../../shared/contract'
import type { DistrictSeed } from '../../../shared/domain/districts'
import type { CoreDeps, DomainHandlers } from '../context'

interface Row {
  code: string
  name: string
  city: string
  aliases: string
  direction: District['direction']
}

export class DistrictsRepo {
  constructor(private db: Database.Database) {}

  list(city?: string): District[] {
    const rows = (
      city
        ? this.db.prepare('SELECT * FROM districts WHERE city = ? ORDER BY code').all(city)
        : this.db.prepare('SELECT * FROM districts ORDER BY code').all()
    ) as Row[]
    return rows.map((r) => ({ ...r, aliases: JSON.parse(r.aliases) as string[] }))
  }

  exists(code: string): boolean {
    return this.db.prepare('SELECT 1 FROM districts WHERE code = ?').get(code) !== undefined
  }

  upsert(seeds: readonly DistrictSeed[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO districts (code, name, city, aliases, direction) VALUES (@code, @name, @city, @aliases, @direction)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, city = excluded.city, aliases = excluded.aliases,
       direction = excluded.direction`
    )
    for (const d of seeds) stmt.run({ ...d, aliases: JSON.stringify(d.aliases) })
  }
}

export function createDistrictsHandlers(
  _deps: CoreDeps,
  repo: DistrictsRepo
): Pick<DomainHandlers<'districts'>, 'districts.list'> {
  return {
    'districts.list': (input) => repo.list(input.city)
  }
}
