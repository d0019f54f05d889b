import { Repo } from '../db/repo'

export interface StoreRow {
  kind: 'local' | 's3'
  endpoint: string
  region: string
  bucket: string
  prefix: string
  path_style: number
  access_key: string
  secret_sealed: Buffer
  seats_reach: number
  object_lock: number
  grace_hours: number
  cache_mb: number
  updated_at: string
}

export interface ToUpload {
  id: number
  file: string
  mime: string
  sha256: string | null
  bytes: number
  started_at: string
  retention_class: string
  retain_until: string | null
  legal_hold: number
  upload_attempts: number
}

/** A recording whose object is under a complaint case not closed (its legal hold). */
const HOLD = `EXISTS (SELECT 1 FROM complaints c WHERE c.state <> 'closed' AND (c.lead_id = r.lead_id
  OR r.call_id IN (SELECT value FROM json_each(c.call_ids))))`

export class ArchiveRepo extends Repo {
  store(): StoreRow | undefined {
    return this.one('SELECT * FROM recording_store WHERE id = 1')
  }

  saveStore(r: Omit<StoreRow, 'secret_sealed'> & { secret_sealed: Buffer | null }): void {
    this.run(
      `INSERT INTO recording_store (id, kind, endpoint, region, bucket, prefix, path_style, access_key, secret_sealed,
         seats_reach, object_lock, grace_hours, cache_mb, updated_at)
       VALUES (1, @kind, @endpoint, @region, @bucket, @prefix, @path_style, @access_key, coalesce(@secret_sealed, x''),
         @seats_reach, @object_lock, @grace_hours, @cache_mb, @updated_at)
       ON CONFLICT (id) DO UPDATE SET kind = @kind, endpoint = @endpoint, region = @region, bucket = @bucket,
         prefix = @prefix, path_style = @path_style, access_key = @access_key,
         secret_sealed = coalesce(@secret_sealed, secret_sealed), seats_reach = @seats_reach,
         object_lock = @object_lock, grace_hours = @grace_hours, cache_mb = @cache_mb, updated_at = @updated_at`,
      r
    )
  }

  setObjectLock(on: boolean): void {
    this.run('UPDATE recording_store SET object_lock = ? WHERE id = 1', on ? 1 : 0)
  }

  /** Closed recordings not in the store yet, oldest first; those backing off wait (unless `all`). */
  toUpload(now: string, limit: number, all = false): ToUpload[] {
    return this.all(
      `SELECT r.id, r.file, r.mime, r.sha256, r.bytes, r.started_at, r.retention_class, r.retain_until,
         ${HOLD} AS legal_hold, r.upload_attempts
       FROM recordings r WHERE r.stored_at IS NULL AND r.state <> 'recording'
         AND (@all = 1 OR r.upload_next_at IS NULL OR r.upload_next_at <= @now)
       ORDER BY r.id LIMIT @limit`,
      { now, limit, all: all ? 1 : 0 }
    )
  }

  stored(id: number, key: string | null, at: string): void {
    this.run(
      `UPDATE recordings SET object_key = ?, stored_at = ?, upload_error = NULL, upload_next_at = NULL,
         local_gone_at = CASE WHEN ? IS NULL THEN NULL ELSE local_gone_at END
       WHERE id = ?`,
      key,
      at,
      key,
      id
    )
  }

  uploadFailed(id: number, error: string, nextAt: string): void {
    this.run(
      'UPDATE recordings SET upload_attempts = upload_attempts + 1, upload_error = ?, upload_next_at = ? WHERE id = ?',
      error.slice(0, 500),
      nextAt,
      id
    )
  }

  /** Stored recordings whose local copy is still there, oldest stored first. */
  cached(limit: number): { id: number; file: string; bytes: number; stored_at: string }[] {
    return this.all(
      `SELECT id, file, bytes, stored_at FROM recordings
       WHERE stored_at IS NOT NULL AND local_gone_at IS NULL AND object_key IS NOT NULL ORDER BY stored_at, id LIMIT ?`,
      limit
    )
  }

  cachedBytes(): number {
    return (
      this.value<number>(
        'SELECT coalesce(sum(bytes), 0) FROM recordings WHERE stored_at IS NOT NULL AND local_gone_at IS NULL AND object_key IS NOT NULL'
      ) ?? 0
    )
  }

  localGone(id: number, at: string): void {
    this.run('UPDATE recordings SET local_gone_at = ? WHERE id = ?', at, id)
  }

  toSync(
    limit: number
  ): { id: number; object_key: string; retention_class: string; retain_until: string | null; legal_hold: number }[] {
    return this.all(
      `SELECT r.id, r.object_key, r.retention_class, r.retain_until, ${HOLD} AS legal_hold FROM recordings r
       WHERE r.store_sync_due = 1 AND r.object_key IS NOT NULL LIMIT ?`,
      limit
    )
  }

  synced(id: number): void {
    this.run('UPDATE recordings SET store_sync_due = 0 WHERE id = ?', id)
  }

  toDelete(now: string, limit: number): { id: number; object_key: string; attempts: number }[] {
    return this.all(
      'SELECT id, object_key, attempts FROM store_deletes WHERE next_at <= ? ORDER BY id LIMIT ?',
      now,
      limit
    )
  }

  deleted(id: number): void {
    this.run('DELETE FROM store_deletes WHERE id = ?', id)
  }

  deleteFailed(id: number, error: string, nextAt: string): void {
    this.run(
      'UPDATE store_deletes SET attempts = attempts + 1, error = ?, next_at = ? WHERE id = ?',
      error.slice(0, 500),
      nextAt,
      id
    )
  }

  /** What waits for the store (the wallboard's line; on the index of recordings not stored). */
  waiting(): { localOnly: number; failing: number; oldest: string | null; lastError: string | null } {
    return this.one(
      `SELECT count(*) AS localOnly, count(upload_error) AS failing, min(ended_at) AS oldest,
         (SELECT upload_error FROM recordings WHERE stored_at IS NULL AND state <> 'recording' AND upload_error IS NOT NULL
          ORDER BY upload_next_at DESC LIMIT 1) AS lastError
       FROM recordings WHERE stored_at IS NULL AND state <> 'recording'`
    )!
  }

  /** What waits: recordings not in the store (and since when, and failing), objects to delete, copies cached. */
  backlog(): {
    localOnly: number
    localOnlyBytes: number
    failing: number
    oldest: string | null
    lastError: string | null
    deletes: number
    stored: number
  } {
    return this.one(
      `SELECT
         (SELECT count(*) FROM recordings WHERE stored_at IS NULL AND state <> 'recording') AS localOnly,
         (SELECT coalesce(sum(bytes), 0) FROM recordings WHERE stored_at IS NULL AND state <> 'recording') AS localOnlyBytes,
         (SELECT count(*) FROM recordings WHERE stored_at IS NULL AND upload_error IS NOT NULL) AS failing,
         (SELECT min(ended_at) FROM recordings WHERE stored_at IS NULL AND state <> 'recording') AS oldest,
         (SELECT upload_error FROM recordings WHERE stored_at IS NULL AND upload_error IS NOT NULL ORDER BY upload_next_at DESC LIMIT 1) AS lastError,
         (SELECT count(*) FROM store_deletes) AS deletes,
         (SELECT count(*) FROM recordings WHERE object_key IS NOT NULL) AS stored`
    )!
  }

  /** Where a recording is, for playback. */
  where(
    id: number
  ):
    | { file: string; object_key: string | null; stored_at: string | null; local_gone_at: string | null; bytes: number }
    | undefined {
    return this.one('SELECT file, object_key, stored_at, local_gone_at, bytes FROM recordings WHERE id = ?', id)
  }

  /** Recordings kept only on a hub's own disk (not in an S3 store), a page at a time. */
  localOnlyFiles(afterId: number, limit: number): { id: number; file: string }[] {
    return this.all(
      "SELECT id, file FROM recordings WHERE object_key IS NULL AND state <> 'recording' AND bytes > 0 AND id > ? ORDER BY id LIMIT ?",
      afterId,
      limit
    )
  }

  byFile(rel: string): { object_key: string | null; sha256: string | null } | undefined {
    return this.one('SELECT object_key, sha256 FROM recordings WHERE file = ?', rel)
  }

  /** Going back to the local folder: what is only in the store must come back first. */
  onlyInStore(): number {
    return this.value<number>('SELECT count(*) FROM recordings WHERE local_gone_at IS NOT NULL') ?? 0
  }

  /** Back to the local folder: every recording is local again, none is "stored". */
  forgetStore(): void {
    this.run(
      `UPDATE recordings SET object_key = NULL, stored_at = NULL, upload_attempts = 0, upload_next_at = NULL,
         upload_error = NULL, store_sync_due = 0 WHERE stored_at IS NOT NULL OR upload_error IS NOT NULL`
    )
  }
}
