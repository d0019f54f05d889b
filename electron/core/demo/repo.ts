import { Repo } from '../db/repo'
import { carrierOf, regionOf } from '../phone/geo'

/** What the demo data writes into a fresh installation, beside the users and settings their own repos write. */
export class DemoRepo extends Repo {
  hasLeads(): boolean {
    return this.one('SELECT 1 FROM leads LIMIT 1') !== undefined
  }

  /** The demo campaign calls every day inside the legal hours, so a demo works in the evening and at weekends. */
  nameDemoCampaign(name: string, settings: object): void {
    this.run('UPDATE campaigns SET name = ?, settings = ? WHERE id = 1', name, JSON.stringify(settings))
  }

  addBatch(rows: number, at: string): number {
    return this.insert(
      "INSERT INTO import_batches (campaign_id, file_name, source, kind, encoding, policy, mapping, rows, imported, created_at) VALUES (1, '演示名单.xlsx', '演示数据', 'xlsx', NULL, 'skip', '[]', @rows, @rows, @at)",
      { rows, at }
    )
  }

  operators(): number[] {
    return this.column("SELECT id FROM users WHERE role = 'operator' ORDER BY id")
  }

  addLead(l: {
    phone: string
    name: string
    gender: string
    birthDate: string
    address: string
    district: string
    batch: number
    owner: number | null
    at: string
  }): number {
    return this.insert(
      `INSERT INTO leads (campaign_id, phone, phone_kind, name, gender, birth_date, address, district_code, batch_id, owner_id, owned_since, status, created_at, updated_at,
         phone_province, phone_city, phone_carrier)
       VALUES (1, @phone, 'mobile', @name, @gender, @birthDate, @address, @district, @batch, @owner, @ownedSince, @status, @at, @at,
         @province, @city, @carrier)`,
      {
        ...l,
        ownedSince: l.owner ? l.at : null,
        status: l.owner ? 'allocated' : 'new',
        ...(regionOf(l.phone) ?? { province: '', city: '' }),
        carrier: carrierOf(l.phone) ?? ''
      }
    )
  }

  allocate(leadId: number, operatorId: number, day: string, at: string): void {
    this.run(
      'INSERT INTO allocations (lead_id, operator_id, day, allocated_at) VALUES (?, ?, ?, ?)',
      leadId,
      operatorId,
      day,
      at
    )
  }

  /** A team of operators with its supervisor, by user name. */
  addTeam(name: string, supervisor: string, operators: string[], at: string): void {
    const id = this.insert(
      'INSERT INTO teams (name, supervisor_id, created_at) VALUES (?, (SELECT id FROM users WHERE username = ?), ?)',
      name,
      supervisor,
      at
    )
    this.run('UPDATE users SET team_id = @id WHERE username IN (SELECT value FROM json_each(@names))', {
      id,
      names: JSON.stringify(operators)
    })
  }

  cover(code: string, by: string): void {
    this.run('UPDATE districts SET covered_by = ? WHERE code = ?', by, code)
  }
}
