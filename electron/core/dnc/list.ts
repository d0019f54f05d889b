import type { DncChannel, DncEntry, DncScope, DncSource } from '../../../shared/contract'
import type Database from 'better-sqlite3'
import { Repo } from '../db/repo'
import type { KeyedHash } from '../personal-data/keyed-hash'

/** Where an entry applies: every campaign, one insurer's campaigns, or one campaign; for calls, SMS or both. */
export interface DncWhere {
  scope: DncScope
  /** The insurer's name or the campaign's id ('' for all). */
  ref: string
  channel: DncChannel
}

export const EVERYWHERE: DncWhere = { scope: 'all', ref: '', channel: 'all' }

export interface DncPut {
  phone: string
  source: DncSource
  reason: string
  where: DncWhere
  effectiveAt: string
  expiresAt: string | null
  userId: number | null
  at: string
  complaintId?: number | null
  listName?: string | null
}

/** What a call or a message is: in which campaign (and so for which insurer), by which channel. */
export interface DncContact {
  campaignId: number | null
  channel: 'call' | 'sms'
}

/** An entry in force at @now that stops a contact of `e.phone` by @channel in campaign @campaignId. */
const IN_FORCE = `e.removed_at IS NULL AND e.effective_at <= @now AND (e.expires_at IS NULL OR e.expires_at > @now)
  AND e.channel IN ('all', @channel)
  AND (e.scope = 'all'
    OR (e.scope = 'campaign' AND e.scope_ref = @campaignRef)
    OR (e.scope = 'insurer' AND e.scope_ref != '' AND e.scope_ref = (SELECT json_extract(c.settings, '$.insurer') FROM campaigns c WHERE c.id = @campaignId)))`

/** The number's keyed hash, worked out only when an erased customer's entry is on the list. */
const HASHED = `CASE WHEN EXISTS (SELECT 1 FROM dnc_entries h WHERE h.hashed = 1) THEN keyed_hash(@phone) END`

/** A campaign's id as bound (an integer) and as an entry's scope names it (text). */
const campaign = (id: number | null) => ({ campaignId: id, campaignRef: id === null ? null : String(id) })

/** The same, for a lead's own campaign (in set-based updates of the leads). */
const IN_FORCE_FOR_LEAD = IN_FORCE.replaceAll('@campaignRef', 'CAST(leads.campaign_id AS TEXT)')
  .replaceAll('@campaignId', 'leads.campaign_id')
  .replaceAll('@channel', "'call'")

/** An entry already there for the same number, scope and channel is lengthened, never shortened, and takes the newest reason and source. */
const UPSERT = `INSERT INTO dnc_entries (phone, source, scope, scope_ref, channel, reason, effective_at, expires_at, added_by, added_at, complaint_id, list_name)
  VALUES (@phone, @source, @scope, @ref, @channel, @reason, @effectiveAt, @expiresAt, @userId, @at, @complaintId, @listName)
  ON CONFLICT (phone, scope, scope_ref, channel) WHERE removed_at IS NULL DO UPDATE SET
    source = excluded.source, reason = excluded.reason, added_by = excluded.added_by, added_at = excluded.added_at,
    complaint_id = coalesce(excluded.complaint_id, complaint_id), list_name = coalesce(excluded.list_name, list_name),
    effective_at = min(effective_at, excluded.effective_at),
    expires_at = CASE WHEN expires_at IS NULL OR excluded.expires_at IS NULL THEN NULL ELSE max(expires_at, excluded.expires_at) END`

const bind = (e: DncPut) => ({
  phone: e.phone,
  source: e.source,
  scope: e.where.scope,
  ref: e.where.ref,
  channel: e.where.channel,
  reason: e.reason,
  effectiveAt: e.effectiveAt,
  expiresAt: e.expiresAt,
  userId: e.userId,
  at: e.at,
  complaintId: e.complaintId ?? null,
  listName: e.listName ?? null
})

const ENTRY = `SELECT e.id, e.phone, e.source, e.scope, e.scope_ref AS scopeRef, e.channel, e.reason, e.effective_at AS effectiveAt,
    e.expires_at AS expiresAt, e.added_at AS addedAt, u.username AS addedBy, e.complaint_id AS complaintId, e.list_name AS listName,
    e.removed_at AS removedAt, ru.username AS removedBy, e.removed_reason AS removedReason
  FROM dnc_entries e LEFT JOIN users u ON u.id = e.added_by LEFT JOIN users ru ON ru.id = e.removed_by`

/**
 * 免打扰名单: the do-not-call list's one reader and writer. An entry has its source, scope, channel,
 * effective date and expiry; one already there for the same number, scope and channel is only ever
 * lengthened and carries the newest reason and source. A removal keeps the entry (who, when, why).
 * Every dial, allocation, import and message asks `blocking` in core.
 */
export class DncList extends Repo {
  /** @hash: the keyed hash that the entries of an erased customer keep instead of the number (see personal-data). */
  constructor(
    db: Database.Database,
    private hash: KeyedHash | null = null
  ) {
    super(db)
    // asked only while some entry is hashed: a dial never opens the privacy key for nothing
    if (hash) db.function('keyed_hash', { deterministic: true }, (phone) => hash(String(phone)))
  }

  /** Puts (or lengthens) the entry; its expiry as stored (null: for good). */
  put(e: DncPut): string | null {
    return this.one<{ expires_at: string | null }>(`${UPSERT} RETURNING expires_at`, bind(e))!.expires_at
  }

  /** The same for each number of a list, in the caller's transaction, without reading anything back. */
  putListed(e: DncPut): void {
    this.run(UPSERT, bind(e))
  }

  /** The leads of this number that an entry in force now stops are parked as do-not-call (never a signed one). */
  blockLeads(phone: string, now: string): number {
    return this.run(
      `UPDATE leads SET status = 'dnc', updated_at = @now
       WHERE phone = @phone AND status NOT IN ('accepted', 'dnc') AND EXISTS (SELECT 1 FROM dnc_entries e WHERE e.phone = leads.phone AND ${IN_FORCE_FOR_LEAD})`,
      { phone, now }
    ).changes
  }

  /** The same for every number of an imported list, in one statement. */
  blockLeadsOfList(listName: string, now: string): number {
    return this.run(
      `UPDATE leads SET status = 'dnc', updated_at = @now
       WHERE phone IN (SELECT phone FROM dnc_entries WHERE list_name = @listName AND removed_at IS NULL)
         AND status NOT IN ('accepted', 'dnc') AND EXISTS (SELECT 1 FROM dnc_entries e WHERE e.phone = leads.phone AND ${IN_FORCE_FOR_LEAD})`,
      { listName, now }
    ).changes
  }

  /** The entry that stops this contact now — the one that lasts longest — or undefined. */
  blocking(phone: string, contact: DncContact, now: string): DncEntry | undefined {
    return this.one(
      `${ENTRY} WHERE e.phone IN (@phone, ${this.hash ? HASHED : '@phone'}) AND ${IN_FORCE}
       ORDER BY e.expires_at IS NOT NULL, e.expires_at DESC LIMIT 1`,
      {
        phone,
        now,
        channel: contact.channel,
        ...campaign(contact.campaignId)
      }
    )
  }

  /** Numbers stopped for calls in this campaign now, with the reason (read once per import). */
  inForceFor(campaignId: number, now: string): [string, string][] {
    return this.all<{ phone: string; reason: string }>(
      `SELECT e.phone, e.reason FROM dnc_entries e WHERE ${IN_FORCE}`,
      { now, channel: 'call', ...campaign(campaignId) }
    ).map((r) => [r.phone, r.reason])
  }

  /** The same for a few numbers only (leads posted through the API: a thousand, not the whole list). */
  inForceAmong(campaignId: number, now: string, phones: string[]): [string, string][] {
    return this.all<{ phone: string; reason: string }>(
      `SELECT e.phone, e.reason FROM dnc_entries e WHERE e.phone IN (SELECT value FROM json_each(@phones)) AND ${IN_FORCE}`,
      { now, channel: 'call', phones: JSON.stringify(phones), ...campaign(campaignId) }
    ).map((r) => [r.phone, r.reason])
  }

  /**
   * Takes a number's live entries off the list (those of one scope and channel, or all), keeping
   * them with who, when and why; its leads parked as do-not-call are dialable again unless another
   * entry still stops them. The number of entries taken off.
   */
  remove(phone: string, where: DncWhere | null, reason: string, userId: number | null, now: string): number {
    const n = this.run(
      `UPDATE dnc_entries SET removed_at = @now, removed_by = @userId, removed_reason = @reason
       WHERE phone = @phone AND removed_at IS NULL
         AND (@scope IS NULL OR (scope = @scope AND scope_ref = @ref AND channel = @channel))`,
      { phone, now, userId, reason, scope: where?.scope ?? null, ref: where?.ref ?? '', channel: where?.channel ?? '' }
    ).changes
    if (n > 0)
      this.run(
        `UPDATE leads SET status = 'new', updated_at = @now
         WHERE phone = @phone AND status = 'dnc' AND NOT EXISTS (SELECT 1 FROM dnc_entries e WHERE e.phone = leads.phone AND ${IN_FORCE_FOR_LEAD})`,
        { phone, now }
      )
    return n
  }

  /** Entries whose number contains these digits (or is exactly it), newest first; removed ones on request. */
  list(digits: string, limit: number, wholeOnly: boolean, withRemoved = false): DncEntry[] {
    return this.all(
      `${ENTRY} WHERE ${wholeOnly && digits ? 'e.phone = @q' : 'e.phone LIKE @q'} AND (@withRemoved OR e.removed_at IS NULL)
       ORDER BY e.added_at DESC, e.id DESC LIMIT @limit`,
      {
        q: wholeOnly && digits ? digits : digits ? `%${digits}%` : '%',
        limit,
        withRemoved: withRemoved ? 1 : 0
      }
    )
  }

  /** Every live entry, for another centre (a cursor: the list can be millions of rows). */
  *exportAll(): IterableIterator<DncEntry> {
    yield* this.stmt(`${ENTRY} WHERE e.removed_at IS NULL AND e.hashed = 0 ORDER BY e.id`)
      .pluck(false)
      .iterate() as IterableIterator<DncEntry>
  }

  /**
   * A forgotten customer's entries (live and removed) keep only the number's keyed hash: the number
   * stays stopped (`blocking` asks by both) and nothing shows it. A hashed entry already there for the
   * same scope and channel gives way to this one.
   */
  forgetNumber(phone: string, hashed: string): number {
    return this.run(`UPDATE OR REPLACE dnc_entries SET phone = @hashed, hashed = 1 WHERE phone = @phone`, {
      phone,
      hashed
    }).changes
  }

  /** A campaign named by its id or its name. */
  campaignId(ref: string): number | undefined {
    return this.value<number>(
      'SELECT id FROM campaigns WHERE CAST(id AS TEXT) = ? OR name = ? ORDER BY id LIMIT 1',
      ref,
      ref
    )
  }
}
