import type Database from 'better-sqlite3'
import type { Output } from '../../../shared/contract'
import { Repo } from '../db/repo'

/** A customer's card as the privacy officer sees it. */
type CustomerCard = Output<'privacy.lookup'>['leads'][number]

/** What an erasure removed, per record class. */
export interface Removed {
  leads: number
  calls: number
  recordings: number
  outcomes: number
  dispatches: number
  followUps: number
  complaints: number
  importRows: number
  dncEntries: number
  auditEntries: number
}

export const NOTHING_REMOVED: Removed = {
  leads: 0,
  calls: 0,
  recordings: 0,
  outcomes: 0,
  dispatches: 0,
  followUps: 0,
  complaints: 0,
  importRows: 0,
  dncEntries: 0,
  auditEntries: 0
}

export const addRemoved = (a: Removed, b: Removed): Removed =>
  Object.fromEntries(
    Object.keys(a).map((k) => [k, a[k as keyof Removed] + b[k as keyof Removed]])
  ) as unknown as Removed

/** A lead of the number, with what decides whether it may go. */
export interface HeldLead {
  id: number
  phone: string
  /** A signed sale: kept for the years the policy's term asks (保险销售行为可回溯). */
  signed: number
  /** Visit not yet reported, or a complaint case not closed: kept until it is. */
  open: number
}

/**
 * The personal data of one customer (a phone number) across every table, read for an export and
 * removed for an erasure or a retention run. Removal works on a set of leads put in temporary
 * tables, children first, in the caller's transaction; the connection zeroes what it frees
 * (secure_delete, db/open.ts) and the search index forgets at once (its secure-delete).
 */
export class PersonalDataRepo extends Repo {
  constructor(db: Database.Database) {
    super(db)
    this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS erase_leads (id INTEGER PRIMARY KEY);
      CREATE TEMP TABLE IF NOT EXISTS erase_calls (id INTEGER PRIMARY KEY);
      CREATE TEMP TABLE IF NOT EXISTS erase_recordings (id INTEGER PRIMARY KEY, file TEXT NOT NULL);
      CREATE TEMP TABLE IF NOT EXISTS export_leads (id INTEGER PRIMARY KEY);
      CREATE TEMP TABLE IF NOT EXISTS export_calls (id INTEGER PRIMARY KEY)`)
  }

  /** Old copies of erased pages leave the write-ahead log (when no reader holds it). */
  checkpoint(): boolean {
    const r = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
    return r[0]?.busy === 0
  }

  // ——— reading a customer ———

  leadsOf(phone: string): HeldLead[] {
    return this.all(
      `SELECT l.id, l.phone,
         EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = l.id AND d.state = 'signed') AS signed,
         EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = l.id AND d.state IN ('new', 'assigned'))
           OR EXISTS (SELECT 1 FROM complaints c WHERE c.lead_id = l.id AND c.state <> 'closed') AS open
       FROM leads l WHERE l.phone = ? ORDER BY l.id`,
      phone
    )
  }

  /** The number's cards and how much is held about it (the privacy officer's first look). */
  summary(phone: string): {
    leads: CustomerCard[]
    counts: { calls: number; recordings: number; dispatches: number; complaints: number; dncEntries: number }
  } {
    const leads = this.all<CustomerCard>(
      `SELECT l.id, l.name, c.name AS campaign, l.status, l.address, l.id_no AS idNo, l.birth_date AS birthDate, l.gender,
         l.employer, l.occupation, l.note
       FROM leads l JOIN campaigns c ON c.id = l.campaign_id WHERE l.phone = ? ORDER BY l.id`,
      phone
    )
    const counts = this.one<{
      calls: number
      recordings: number
      dispatches: number
      complaints: number
      dncEntries: number
    }>(
      `SELECT (SELECT count(*) FROM calls WHERE lead_id IN (SELECT id FROM leads WHERE phone = @phone)) AS calls,
         (SELECT count(*) FROM recordings WHERE lead_id IN (SELECT id FROM leads WHERE phone = @phone)) AS recordings,
         (SELECT count(*) FROM dispatches WHERE lead_id IN (SELECT id FROM leads WHERE phone = @phone)) AS dispatches,
         (SELECT count(*) FROM complaints WHERE phone = @phone) AS complaints,
         (SELECT count(*) FROM dnc_entries WHERE phone = @phone) AS dncEntries`,
      { phone }
    )!
    return { leads, counts }
  }

  openComplaints(phone: string): number {
    return this.value<number>("SELECT count(*) FROM complaints WHERE phone = ? AND state <> 'closed'", phone) ?? 0
  }

  /** Everything held about the number, as rows per table (the export's content). */
  customerData(phone: string): Record<string, unknown[]> {
    this.run('DELETE FROM export_leads')
    this.run('DELETE FROM export_calls')
    this.run('INSERT INTO export_leads (id) SELECT id FROM leads WHERE phone = ?', phone)
    this.run(
      'INSERT OR IGNORE INTO export_calls (id) SELECT id FROM calls WHERE lead_id IN (SELECT id FROM export_leads)'
    )
    const inLeads = 'IN (SELECT id FROM export_leads)'
    const inCalls = 'IN (SELECT id FROM export_calls)'
    return {
      leads: this.all(
        `SELECT l.id, l.phone, l.name, l.gender, l.birth_date, l.id_no, l.address, l.district_code, l.employer, l.occupation,
           l.note, l.extra, l.status, l.created_at, l.updated_at, l.last_call_at, l.attempts, c.name AS campaign, b.source AS list_source,
           b.created_at AS imported_at, l.phone_province, l.phone_city, l.phone_carrier, l.stated_age
         FROM leads l JOIN campaigns c ON c.id = l.campaign_id LEFT JOIN import_batches b ON b.id = l.batch_id WHERE l.id ${inLeads}`
      ),
      history: this.all(`SELECT lead_id, at, kind, details FROM lead_events WHERE lead_id ${inLeads} ORDER BY at`),
      calls: this.all(
        `SELECT c.id, c.lead_id, c.direction, c.line, c.started_at, c.answered_at, c.ended_at, c.end_cause, u.display_name AS operator
         FROM calls c JOIN users u ON u.id = c.operator_id WHERE c.id ${inCalls} ORDER BY c.started_at`
      ),
      recordings: this.all(
        `SELECT id, call_id, lead_id, mime, state, started_at, duration_ms, sha256, retention_class, retain_until
         FROM recordings WHERE call_id ${inCalls} OR lead_id ${inLeads} ORDER BY started_at`
      ),
      outcomes: this.all(
        `SELECT lead_id, call_id, label, success, connected, notes, callback_at, visit_at, consent, product_interest, at
         FROM outcomes WHERE lead_id ${inLeads} ORDER BY at`
      ),
      callbacks: this.all(`SELECT lead_id, due_at, note, state FROM callbacks WHERE lead_id ${inLeads}`),
      dispatches: this.all(
        `SELECT d.id, d.lead_id, d.district_code, d.visit_at, d.state, a.display_name AS agent, d.policy, d.notes, d.created_at, d.reported_at
         FROM dispatches d LEFT JOIN users a ON a.id = d.agent_id WHERE d.lead_id ${inLeads}`
      ),
      followUps: this.all(
        `SELECT id, lead_id, kind, from_at, due_at, state, result, complaint, checks, notes, done_at, second_channel
         FROM follow_ups WHERE lead_id ${inLeads}`
      ),
      complaints: this.all(
        `SELECT id, category, channel, summary, state, received_at, due_at, decision, decided_at, closed_at, answer_contact
         FROM complaints WHERE phone = ? OR lead_id ${inLeads}`,
        phone
      ),
      consents: this.all(
        `SELECT 'outcome' AS kind, lead_id, consent AS given, at FROM outcomes WHERE lead_id ${inLeads} AND consent = 1
         UNION ALL SELECT 'do_not_call', NULL, 0, added_at FROM dnc_entries WHERE phone = ? AND removed_at IS NULL`,
        phone
      ),
      doNotCall: this.all(
        `SELECT source, scope, scope_ref, channel, reason, effective_at, expires_at, removed_at FROM dnc_entries WHERE phone = ?`,
        phone
      )
    }
  }

  /** The recordings' files of the number's calls (for the export). */
  recordingFiles(phone: string): { id: number; callId: number; file: string; mime: string; startedAt: string }[] {
    return this.all(
      `SELECT r.id, r.call_id AS callId, r.file, r.mime, r.started_at AS startedAt FROM recordings r
       WHERE r.lead_id IN (SELECT id FROM leads WHERE phone = ?) OR r.call_id IN (SELECT c.id FROM calls c JOIN leads l ON l.id = c.lead_id WHERE l.phone = ?)
       ORDER BY r.started_at`,
      phone,
      phone
    )
  }

  // ——— removing ———

  /** Puts these leads (with their calls and recordings) and these calls (of no lead) up for removal. */
  stage(leadIds: number[], callIds: number[] = []): void {
    this.run('DELETE FROM erase_leads')
    this.run('DELETE FROM erase_calls')
    this.run('DELETE FROM erase_recordings')
    for (const id of leadIds) this.run('INSERT OR IGNORE INTO erase_leads (id) VALUES (?)', id)
    for (const id of callIds) this.run('INSERT OR IGNORE INTO erase_calls (id) VALUES (?)', id)
    this.run(
      'INSERT OR IGNORE INTO erase_calls (id) SELECT id FROM calls WHERE lead_id IN (SELECT id FROM erase_leads)'
    )
    this.run(
      `INSERT OR IGNORE INTO erase_recordings (id, file) SELECT id, file FROM recordings
       WHERE call_id IN (SELECT id FROM erase_calls) OR lead_id IN (SELECT id FROM erase_leads)`
    )
  }

  stagedFiles(): string[] {
    return this.column('SELECT file FROM erase_recordings')
  }

  /**
   * The append-only histories (audit, review and dispatch events) let an erasure through while its
   * transaction holds this gate open; it is closed again before the commit.
   */
  gate<T>(fn: () => T): T {
    return this.transaction(() => {
      this.run('INSERT INTO erasure_gate (id) VALUES (1)')
      try {
        return fn()
      } finally {
        this.run('DELETE FROM erasure_gate')
      }
    })
  }

  /** Removes the staged leads and everything hanging on them; counts per class. */
  removeStaged(): Omit<Removed, 'complaints' | 'dncEntries' | 'auditEntries'> {
    const inLeads = 'IN (SELECT id FROM erase_leads)'
    const inCalls = 'IN (SELECT id FROM erase_calls)'
    const inRecs = 'IN (SELECT id FROM erase_recordings)'
    const n = (sql: string) => this.run(sql).changes
    // the follow-ups and the calls point at each other: the links go first
    n(`UPDATE calls SET follow_up_id = NULL WHERE id ${inCalls} AND follow_up_id IS NOT NULL`)
    n(`UPDATE follow_ups SET call_id = NULL WHERE lead_id ${inLeads}`)
    n(`UPDATE complaints SET lead_id = NULL, follow_up_id = NULL WHERE lead_id ${inLeads}`)
    // a call of another lead's follow-up (never, but the schema allows it) loses only the link
    n(`UPDATE calls SET follow_up_id = NULL WHERE follow_up_id IN (SELECT id FROM follow_ups WHERE lead_id ${inLeads})`)
    const followUps = n(`DELETE FROM follow_ups WHERE lead_id ${inLeads}`)
    n(`DELETE FROM dispatch_events WHERE dispatch_id IN (SELECT id FROM dispatches WHERE lead_id ${inLeads})`)
    const dispatches = n(`DELETE FROM dispatches WHERE lead_id ${inLeads}`)
    const outcomes = n(`DELETE FROM outcomes WHERE lead_id ${inLeads} OR call_id ${inCalls}`)
    n(`DELETE FROM qa_annotations WHERE recording_id ${inRecs}`)
    n(`DELETE FROM recording_metrics WHERE recording_id ${inRecs}`)
    n(
      `DELETE FROM qa_review_events WHERE review_id IN (SELECT id FROM qa_reviews WHERE call_id ${inCalls} OR recording_id ${inRecs})`
    )
    n(`DELETE FROM qa_reviews WHERE call_id ${inCalls} OR recording_id ${inRecs}`)
    n(`DELETE FROM qa_flags WHERE call_id ${inCalls}`)
    n(`DELETE FROM qa_queue WHERE call_id ${inCalls}`)
    n(`DELETE FROM script_ticks WHERE call_id ${inCalls}`)
    n(`DELETE FROM monitor_sessions WHERE call_id ${inCalls}`)
    // their objects in the store go too: asked of the store by the archive job (a locked one is refused)
    n(
      `INSERT INTO store_deletes (object_key, queued_at, next_at)
       SELECT object_key, strftime('%Y-%m-%dT%H:%M:%fZ'), '' FROM recordings WHERE id ${inRecs} AND object_key IS NOT NULL`
    )
    const recordings = n(`DELETE FROM recordings WHERE id ${inRecs}`)
    n(`DELETE FROM dial_attempts WHERE lead_id ${inLeads} OR call_id ${inCalls}`)
    n(`DELETE FROM callbacks WHERE lead_id ${inLeads}`)
    n(`DELETE FROM sms_messages WHERE lead_id ${inLeads}`)
    n(`DELETE FROM skips WHERE lead_id ${inLeads}`)
    n(`DELETE FROM allocations WHERE lead_id ${inLeads}`)
    n(`DELETE FROM lead_events WHERE lead_id ${inLeads}`)
    n(`DELETE FROM lead_batches WHERE lead_id ${inLeads}`)
    const calls = n(`DELETE FROM calls WHERE id ${inCalls}`)
    const importRows = n(`DELETE FROM import_rows WHERE lead_id ${inLeads}`)
    n(`DELETE FROM leads_fts WHERE rowid ${inLeads}`)
    const leads = n(`DELETE FROM leads WHERE id ${inLeads}`)
    return { leads, calls, recordings, outcomes, dispatches, followUps, importRows }
  }

  /** A supplier's rows that still carry the number (a duplicate, an invalid line) lose their cells. */
  forgetImportRowsOf(phone: string): number {
    return this.run(
      `UPDATE import_rows SET raw = '[]', detail = NULL WHERE raw <> '[]' AND (instr(raw, @phone) > 0 OR instr(detail, @phone) > 0)`,
      { phone }
    ).changes
  }

  /** Attempts logged by number alone (the desk's per-number limits). */
  forgetDialAttempts(phone: string): number {
    return this.run('DELETE FROM dial_attempts WHERE phone = ?', phone).changes
  }

  /** Closed complaint cases keep their category and figures; the number, the words and the contact go. */
  forgetClosedComplaints(phone: string, hashed: string): number {
    const ids = this.column<number>("SELECT id FROM complaints WHERE phone = ? AND state = 'closed'", phone)
    for (const id of ids) this.run('UPDATE complaint_events SET note = NULL WHERE complaint_id = ?', id)
    return this.run(
      `UPDATE complaints SET phone = @hashed, summary = '', answer_contact = NULL, decision = NULL, lead_id = NULL
       WHERE phone = @phone AND state = 'closed'`,
      { phone, hashed }
    ).changes
  }

  /** The audit trail keeps its entries; where one names the number, the keyed hash stands in its place. */
  forgetInAudit(phone: string, hashed: string): number {
    return this.run(
      `UPDATE audit_log SET details = replace(details, @phone, @hashed), entity_id = CASE WHEN entity_id = @phone THEN @hashed ELSE entity_id END
       WHERE instr(details, @phone) > 0 OR entity_id = @phone`,
      { phone, hashed }
    ).changes
  }

  proof(e: {
    at: string
    userId: number | null
    hash: string
    reason: string
    kind: 'request' | 'retention'
    removed: Removed
    kept: object
  }): number {
    return this.insert(
      `INSERT INTO erasures (at, user_id, phone_hash, reason, kind, removed, kept) VALUES (@at, @userId, @hash, @reason, @kind, @removed, @kept)`,
      { ...e, removed: JSON.stringify(e.removed), kept: JSON.stringify(e.kept) }
    )
  }

  erasures(
    hash: string | null,
    limit: number
  ): {
    id: number
    at: string
    by: string | null
    phoneHash: string
    reason: string
    kind: string
    removed: string
    kept: string
  }[] {
    return this.all(
      `SELECT e.id, e.at, u.username AS by, e.phone_hash AS phoneHash, e.reason, e.kind, e.removed, e.kept
       FROM erasures e LEFT JOIN users u ON u.id = e.user_id WHERE @hash IS NULL OR e.phone_hash = @hash ORDER BY e.id DESC LIMIT @limit`,
      { hash, limit }
    )
  }

  // ——— correcting ———

  /** The card's fields as corrected; the search index gets the lead's new words (@fts) when it already had it. */
  correctLead(id: number, f: Partial<Record<Correctable, string | null>>, fts: string, at: string): void {
    const cols = Object.keys(f).filter((k) => CORRECTABLE.includes(k as Correctable))
    if (!cols.length) return
    this.run(`UPDATE leads SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @at WHERE id = @id`, {
      ...Object.fromEntries(cols.map((c) => [c, f[c as Correctable]])),
      id,
      at
    })
    if (this.value('SELECT 1 FROM leads_fts_state WHERE id = 1 AND upto >= ?', id)) {
      this.run('DELETE FROM leads_fts WHERE rowid = ?', id)
      this.run('INSERT INTO leads_fts (rowid, txt) VALUES (?, ?)', id, fts)
    }
  }

  lead(id: number): { phone: string; name: string | null; address: string | null } | undefined {
    return this.one('SELECT phone, name, address FROM leads WHERE id = ?', id)
  }

  // ——— retention ———

  /**
   * Leads whose time is up: no sale signed, nothing open (a visit, a 回访, a complaint case), no
   * recording still to be kept (its retain-until, which the store's Object Lock also holds), and the
   * last contact (or the import, when never called) before @before; signed ones reported before
   * @signedShort (a term of a year or less) or @signedLong (longer).
   */
  expiredLeads(c: {
    before: string
    signedShort: string
    signedLong: string
    now: string
    afterId: number
    limit: number
  }): {
    id: number
    phone: string
    status: string
    signed: number
  }[] {
    return this.all(
      `SELECT * FROM (SELECT l.id, l.phone, l.status, 0 AS signed FROM leads l
       WHERE l.id > @afterId AND max(coalesce(l.last_call_at, ''), l.created_at) < @before
         AND NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = l.id AND d.state IN ('new', 'assigned', 'visited', 'signed'))
         AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.lead_id = l.id AND c.state <> 'closed')
         AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.lead_id = l.id AND f.state = 'open')
         AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.lead_id = l.id AND r.retain_until > @now)
       UNION ALL
       SELECT l.id, l.phone, l.status, 1 FROM leads l JOIN dispatches d ON d.lead_id = l.id AND d.state = 'signed'
       WHERE l.id > @afterId AND d.reported_at < CASE WHEN coalesce(json_extract(d.policy, '$.termYears'), 0) > 1 THEN @signedLong ELSE @signedShort END
         AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.lead_id = l.id AND c.state <> 'closed')
         AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.lead_id = l.id AND r.retain_until > @now))
       ORDER BY id LIMIT @limit`,
      c
    )
  }

  /** Calls with no lead (an unknown caller) and their recordings, older than @before. */
  expiredOrphanCalls(before: string): { callId: number; file: string | null }[] {
    return this.all(
      `SELECT c.id AS callId, r.file FROM calls c LEFT JOIN recordings r ON r.call_id = c.id
       WHERE c.lead_id IS NULL AND c.started_at < ? AND c.id NOT IN (SELECT value FROM complaints, json_each(complaints.call_ids) WHERE complaints.state <> 'closed')`,
      before
    )
  }

  removeOrphanCalls(callIds: number[]): number {
    this.stage([], callIds)
    return this.removeStaged().calls
  }

  /** A supplier's raw rows older than @before lose their cells (the outcome and reason stay). */
  expiredImportCells(before: string, dry: boolean): number {
    const where = `raw <> '[]' AND batch_id IN (SELECT id FROM import_batches WHERE created_at < @before)`
    return dry
      ? (this.value<number>(`SELECT count(*) FROM import_rows WHERE ${where}`, { before }) ?? 0)
      : this.run(`UPDATE import_rows SET raw = '[]', detail = NULL WHERE ${where}`, { before }).changes
  }

  /** No lead of this number is left (nor an open case): its do-not-call entries may keep the hash only. */
  numberGone(phone: string): boolean {
    return (
      this.value<number>(
        "SELECT 1 WHERE EXISTS (SELECT 1 FROM leads WHERE phone = @phone) OR EXISTS (SELECT 1 FROM complaints WHERE phone = @phone AND state <> 'closed')",
        { phone }
      ) === undefined
    )
  }

  saveRun(at: string, dry: boolean, source: string, report: object): number {
    return this.insert(
      'INSERT INTO retention_runs (at, dry_run, source, report) VALUES (?, ?, ?, ?)',
      at,
      dry ? 1 : 0,
      source,
      JSON.stringify(report)
    )
  }

  lastRun(): { at: string; dryRun: number; report: string } | undefined {
    return this.one('SELECT at, dry_run AS dryRun, report FROM retention_runs ORDER BY id DESC LIMIT 1')
  }

  lastRealRun(): string | undefined {
    return this.value<string>('SELECT at FROM retention_runs WHERE dry_run = 0 ORDER BY id DESC LIMIT 1')
  }
}

/** What a privacy officer may correct on a customer's card. */
export const CORRECTABLE = [
  'name',
  'gender',
  'birth_date',
  'id_no',
  'address',
  'employer',
  'occupation',
  'note'
] as const
export type Correctable = (typeof CORRECTABLE)[number]
