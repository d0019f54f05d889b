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
}
