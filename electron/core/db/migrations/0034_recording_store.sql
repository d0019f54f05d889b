-- 0034: recordings in object storage (S3: Ceph RGW, MinIO, OSS, COS, OBS, AWS). The hub's folder
-- stays the place a call is written; a finished recording is then uploaded, checked, and its local
-- copy removed after a grace period. The queue is the recordings themselves (closed, not stored):
-- durable by construction, the same whether a call just ended or an old archive is migrated.
ALTER TABLE recordings ADD COLUMN object_key TEXT;          -- its key in the store, once uploaded and checked
ALTER TABLE recordings ADD COLUMN stored_at TEXT;           -- when the upload was verified (size, MD5 per part, SHA-256)
ALTER TABLE recordings ADD COLUMN local_gone_at TEXT;       -- its local copy was removed (it lives in the store)
ALTER TABLE recordings ADD COLUMN upload_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE recordings ADD COLUMN upload_next_at TEXT;      -- after a failure: not before (back-off)
ALTER TABLE recordings ADD COLUMN upload_error TEXT;
-- its class, retain-until or legal hold changed since the object got them: set them again
ALTER TABLE recordings ADD COLUMN store_sync_due INTEGER NOT NULL DEFAULT 0;
CREATE INDEX recordings_unstored ON recordings (id) WHERE stored_at IS NULL AND state <> 'recording';
CREATE INDEX recordings_cached ON recordings (stored_at) WHERE stored_at IS NOT NULL AND local_gone_at IS NULL;
CREATE INDEX recordings_sync ON recordings (id) WHERE store_sync_due = 1;

-- The store: one, its secret key sealed like the SIP passwords. No row: the local folder (as before).
CREATE TABLE recording_store (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  kind          TEXT NOT NULL CHECK (kind IN ('local', 's3')),
  endpoint      TEXT NOT NULL DEFAULT '',
  region        TEXT NOT NULL DEFAULT 'us-east-1',
  bucket        TEXT NOT NULL DEFAULT '',
  prefix        TEXT NOT NULL DEFAULT '',
  path_style    INTEGER NOT NULL DEFAULT 1,
  access_key    TEXT NOT NULL DEFAULT '',
  secret_sealed BLOB NOT NULL DEFAULT x'',
  -- seats reach the store themselves: playback by a short-lived presigned URL, else the hub proxies
  seats_reach   INTEGER NOT NULL DEFAULT 0,
  -- the bucket has Object Lock: objects get COMPLIANCE retention and legal holds
  object_lock   INTEGER NOT NULL DEFAULT 0,
  grace_hours   INTEGER NOT NULL DEFAULT 24,
  cache_mb      INTEGER NOT NULL DEFAULT 2048,
  updated_at    TEXT NOT NULL
) STRICT;

-- Objects to delete from the store: their recording's row is gone (erasure, retention) in the same
-- transaction that wrote this; the store is asked until it agrees (a locked object is refused).
CREATE TABLE store_deletes (
  id          INTEGER PRIMARY KEY,
  object_key  TEXT NOT NULL,
  queued_at   TEXT NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     TEXT NOT NULL,
  error       TEXT
) STRICT;
