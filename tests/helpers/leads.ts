import type Database from 'better-sqlite3'

/**
 * Puts N leads straight into the pool of a real database, as an import would leave them (a
 * batch, 'new', nobody holding them), for tests of what happens after the import.
 * Phones are 139 + 8 digits from `first`.
 */
export function insertLeads(
  db: Database.Database,
  n: number,
  o: { campaignId?: number; first?: number; district?: string | null; at?: string } = {}
): number[] {
  const at = o.at ?? '2026-11-20T01:00:00.000Z'
  const batch = Number(
    db
      .prepare(
        "INSERT INTO import_batches (campaign_id, file_name, source, kind, policy, mapping, created_at) VALUES (?, 'test.csv', 'test', 'csv', 'skip', '[]', ?)"
      )
      .run(o.campaignId ?? 1, at).lastInsertRowid
  )
  db.prepare('UPDATE import_batches SET rows = ?, imported = ? WHERE id = ?').run(n, n, batch)
  const ins = db.prepare(
    "INSERT INTO leads (campaign_id, phone, phone_kind, name, gender, address, district_code, batch_id, created_at, updated_at) VALUES (?, ?, 'mobile', ?, 'F', ?, ?, ?, ?, ?)"
  )
  const ids: number[] = []
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const phone = `139${String((o.first ?? 0) + i).padStart(8, '0')}`
      ids.push(
        Number(
          ins.run(
            o.campaignId ?? 1,
            phone,
            `客户${i}`,
            '南宁市青秀区民族大道1号',
            o.district === undefined ? '450103' : o.district,
            batch,
            at,
            at
          ).lastInsertRowid
        )
      )
    }
  })()
  return ids
}
