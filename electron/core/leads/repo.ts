import { Repo } from '../db/repo'
import { IS_OPERATORS_LEAD } from './ownership'
import type { LeadRow } from './search-repo'

/** The pool's leads as the supervisors and operators read them, and the import batches with their row reports. */
export class LeadsRepo extends Repo {
  savedMapping(source: string): string | undefined {
    return this.value('SELECT mapping FROM import_mappings WHERE source = ?', source)
  }

  /** The operator holds the lead (私海) or was given it in a batch. */
  /** The operator's own lead (ownership.ts). */
  isOwnLead(leadId: number, userId: number): boolean {
    return this.one(IS_OPERATORS_LEAD, { lead: leadId, op: userId }) !== undefined
  }

  batch(id: number): { file_name: string; mapping: string } | undefined {
    return this.one('SELECT file_name, mapping FROM import_batches WHERE id = ?', id)
  }

  /** The import's report, row by row. */
  batchRows(
    batchId: number
  ): { row_no: number; outcome: string; reason: string; detail: string | null; raw: string }[] {
    return this.all(
      'SELECT row_no, outcome, reason, detail, raw FROM import_rows WHERE batch_id = ? ORDER BY row_no',
      batchId
    )
  }

  /** Leads whose number's 归属地 was never looked up (imported before it was), after `afterId`. */
  withoutRegion(afterId: number, limit: number): { id: number; phone: string }[] {
    return this.all(
      'SELECT id, phone FROM leads WHERE phone_province IS NULL AND id > ? ORDER BY id LIMIT ?',
      afterId,
      limit
    )
  }

  setRegion(id: number, province: string, city: string, carrier: string): void {
    this.run(
      'UPDATE leads SET phone_province = ?, phone_city = ?, phone_carrier = ? WHERE id = ?',
      province,
      city,
      carrier,
      id
    )
  }

  /** The pool's numbers by 归属地, most leads first (looked-up leads only). */
  regions(): { province: string; city: string; leads: number }[] {
    return this.all(
      `SELECT phone_province AS province, phone_city AS city, count(*) AS leads FROM leads
       WHERE phone_province IS NOT NULL AND phone_province <> '' GROUP BY phone_province, phone_city ORDER BY leads DESC`
    )
  }

  batches(limit: number): Record<string, unknown>[] {
    return this.all(
      'SELECT b.*, u.username, c.name AS campaign_name FROM import_batches b LEFT JOIN users u ON u.id = b.created_by LEFT JOIN campaigns c ON c.id = b.campaign_id ORDER BY b.id DESC LIMIT ?',
      limit
    )
  }

  lead(id: number): (LeadRow & Record<string, string | null>) | undefined {
    return this.one('SELECT * FROM leads WHERE id = ?', id)
  }

  /** The batches a lead came in (its own, and those a later list attached it to). */
  batchesOf(leadId: number, batchId: number): { id: number; fileName: string; source: string; createdAt: string }[] {
    return this.all(
      `SELECT id, file_name AS fileName, source, created_at AS createdAt FROM import_batches
       WHERE id = ? OR id IN (SELECT batch_id FROM lead_batches WHERE lead_id = ?) ORDER BY id`,
      batchId,
      leadId
    )
  }

  /** Everything that happened to a lead: its events, its allocations, its imports. */
  history(leadId: number): { at: string; kind: string; user: string | null; details: string | null }[] {
    return this.all(
      `SELECT at, kind, u.username AS user, details FROM (
         SELECT e.at, e.kind, e.user_id, e.details FROM lead_events e WHERE e.lead_id = @id
         UNION ALL
         SELECT a.allocated_at, 'allocated', a.allocated_by, json_object('day', a.day, 'operator', (SELECT display_name FROM users WHERE id = a.operator_id)) FROM allocations a WHERE a.lead_id = @id
         UNION ALL
         SELECT b.created_at, 'imported', b.created_by, json_object('batch', b.id, 'file', b.file_name) FROM import_batches b
           WHERE b.id = (SELECT batch_id FROM leads WHERE id = @id) OR b.id IN (SELECT batch_id FROM lead_batches WHERE lead_id = @id)
       ) h LEFT JOIN users u ON u.id = h.user_id ORDER BY at`,
      { id: leadId }
    )
  }
}
