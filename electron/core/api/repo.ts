import { Repo } from '../db/repo'

export interface ApiKeyRow {
  id: number
  name: string
  prefix: string
  key_hash: Buffer
  scopes: string
  campaign_id: number | null
  expires_at: string | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

/** The integration API's keys, idempotent answers and the reads it serves — their one reader and writer. */
export class ApiRepo extends Repo {
  addKey(k: {
    name: string
    prefix: string
    hash: Buffer
    scopes: string
    campaignId: number | null
    expiresAt: string | null
    by: number | null
    at: string
  }): number {
    return this.insert(
      `INSERT INTO api_keys (name, prefix, key_hash, scopes, campaign_id, expires_at, created_by, created_at)
       VALUES (@name, @prefix, @hash, @scopes, @campaignId, @expiresAt, @by, @at)`,
      k
    )
  }

  keys(): ApiKeyRow[] {
    return this.all('SELECT * FROM api_keys ORDER BY id DESC')
  }

  key(id: number): ApiKeyRow | undefined {
    return this.one('SELECT * FROM api_keys WHERE id = ?', id)
  }

  byPrefix(prefix: string): ApiKeyRow | undefined {
    return this.one('SELECT * FROM api_keys WHERE prefix = ?', prefix)
  }

  revoke(id: number, at: string): boolean {
    return this.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', at, id).changes === 1
  }

  used(id: number, at: string): void {
    this.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', at, id)
  }

  idempotent(keyId: number, idemKey: string): { request: string; status: number; body: string } | undefined {
    return this.one(
      'SELECT request, status, body FROM api_idempotency WHERE key_id = ? AND idem_key = ?',
      keyId,
      idemKey
    )
  }

  keepAnswer(a: { keyId: number; idemKey: string; request: string; status: number; body: string; at: string }): void {
    this.run(
      `INSERT OR IGNORE INTO api_idempotency (key_id, idem_key, request, status, body, created_at)
       VALUES (@keyId, @idemKey, @request, @status, @body, @at)`,
      a
    )
  }

  forgetAnswersBefore(before: string): number {
    return this.run('DELETE FROM api_idempotency WHERE created_at < ?', before).changes
  }

  campaigns(only: number | null): { id: number; name: string; active: number }[] {
    return this.all(
      'SELECT id, name, active FROM campaigns WHERE training = 0 AND (@only IS NULL OR id = @only) ORDER BY id',
      { only }
    )
  }

  lead(id: number):
    | {
        id: number
        campaign_id: number
        phone: string
        name: string | null
        status: string
        attempts: number
        last_outcome: string | null
        last_call_at: string | null
        created_at: string
      }
    | undefined {
    return this.one(
      `SELECT l.id, l.campaign_id, l.phone, l.name, l.status, l.attempts, l.last_outcome, l.last_call_at, l.created_at
       FROM leads l JOIN campaigns c ON c.id = l.campaign_id WHERE l.id = ? AND c.training = 0`,
      id
    )
  }

  /** Leads of these numbers, by number. */
  leadsByPhone(phones: string[]): Map<string, number> {
    const rows = this.all<{ id: number; phone: string }>(
      'SELECT id, phone FROM leads WHERE phone IN (SELECT value FROM json_each(?))',
      JSON.stringify(phones)
    )
    return new Map(rows.map((r) => [r.phone, r.id]))
  }

  importReport(batchId: number): { row_no: number; outcome: string; reason: string; detail: string | null }[] {
    return this.all(
      'SELECT row_no, outcome, reason, detail FROM import_rows WHERE batch_id = ? ORDER BY row_no',
      batchId
    )
  }

  /** Outcomes of real calls after @afterId, oldest first (a simulated call's never), in the key's campaign if it has one. */
  outcomesAfter(
    afterId: number,
    campaignId: number | null,
    limit: number
  ): {
    id: number
    lead_id: number
    call_id: number | null
    campaign_id: number
    disposition: string
    label: string
    success: number
    visit_at: string | null
    at: string
  }[] {
    return this.all(
      `SELECT o.id, o.lead_id, o.call_id, o.campaign_id, o.disposition, o.label, o.success, o.visit_at, o.at
       FROM outcomes o JOIN campaigns c ON c.id = o.campaign_id
       WHERE o.id > @afterId AND o.simulated = 0 AND c.training = 0 AND (@campaignId IS NULL OR o.campaign_id = @campaignId)
       ORDER BY o.id LIMIT @limit`,
      { afterId, campaignId, limit }
    )
  }

  /** Calls on the real line after @afterId, oldest first, in the key's campaign if it has one. */
  callsAfter(afterId: number, campaignId: number | null, limit: number) {
    return this.all<{
      id: number
      lead_id: number | null
      campaign_id: number | null
      direction: string
      started_at: string
      answered_at: string | null
      ended_at: string | null
      shown_number: string | null
    }>(
      `SELECT id, lead_id, campaign_id, direction, started_at, answered_at, ended_at, shown_number FROM calls
       WHERE id > @afterId AND line = 'sip' AND (@campaignId IS NULL OR campaign_id = @campaignId)
       ORDER BY id LIMIT @limit`,
      { afterId, campaignId, limit }
    )
  }

  dispatchesAfter(afterId: number, campaignId: number | null, limit: number, only: number | null = null) {
    return this.all<{
      id: number
      lead_id: number
      campaign_id: number
      district_code: string
      visit_at: string
      state: string
      agent_name: string | null
      policy: string | null
      created_at: string
      assigned_at: string | null
      reported_at: string | null
    }>(
      `SELECT d.id, d.lead_id, l.campaign_id, d.district_code, d.visit_at, d.state, u.display_name AS agent_name, d.policy,
         d.created_at, d.assigned_at, d.reported_at
       FROM dispatches d JOIN leads l ON l.id = d.lead_id LEFT JOIN users u ON u.id = d.agent_id
       WHERE d.id > @afterId AND (@only IS NULL OR d.id = @only) AND (@campaignId IS NULL OR l.campaign_id = @campaignId)
       ORDER BY d.id LIMIT @limit`,
      { afterId, campaignId, limit, only }
    )
  }

  followUpsAfter(afterId: number, campaignId: number | null, limit: number) {
    return this.all<{
      id: number
      lead_id: number
      dispatch_id: number
      kind: string
      state: string
      result: string | null
      complaint: string | null
      due_at: string
      done_at: string | null
    }>(
      `SELECT f.id, f.lead_id, f.dispatch_id, f.kind, f.state, f.result, f.complaint, f.due_at, f.done_at
       FROM follow_ups f JOIN leads l ON l.id = f.lead_id
       WHERE f.id > @afterId AND (@campaignId IS NULL OR l.campaign_id = @campaignId) ORDER BY f.id LIMIT @limit`,
      { afterId, campaignId, limit }
    )
  }

  /** The lead's signed sale (its dispatch reported signed), if any. */
  signedDispatch(leadId: number): { id: number; policy: string | null } | undefined {
    return this.one(
      "SELECT id, policy FROM dispatches WHERE lead_id = ? AND state = 'signed' ORDER BY id DESC LIMIT 1",
      leadId
    )
  }

  setPolicy(dispatchId: number, policy: string): void {
    this.run('UPDATE dispatches SET policy = ? WHERE id = ?', policy, dispatchId)
  }
}
