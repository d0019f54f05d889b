-- 0027: a governed do-not-call list. Each entry has its source, its scope (every campaign, one
-- insurer's campaigns, or one campaign), the channel it stops (calls, SMS or both), when it takes
-- effect and when it ends (NULL: never), who put it there and why; a removal keeps the entry with who
-- took it off and why. A number may have several entries (one per scope and channel).
CREATE TABLE dnc_entries (
  id             INTEGER PRIMARY KEY,
  phone          TEXT NOT NULL,
  source         TEXT NOT NULL CHECK (source IN ('customer_request', 'refusal', 'complaint', 'external_list', 'regulator')),
  scope          TEXT NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'insurer', 'campaign')),
  scope_ref      TEXT NOT NULL DEFAULT '',       -- the insurer's name or the campaign's id; '' for all
  channel        TEXT NOT NULL DEFAULT 'all' CHECK (channel IN ('all', 'call', 'sms')),
  reason         TEXT NOT NULL,
  effective_at   TEXT NOT NULL,
  expires_at     TEXT,                           -- NULL: permanent
  added_by       INTEGER REFERENCES users (id),
  added_at       TEXT NOT NULL,
  complaint_id   INTEGER,
  list_name      TEXT,                           -- the imported list it came with
  removed_at     TEXT,
  removed_by     INTEGER REFERENCES users (id),
  removed_reason TEXT
) STRICT;
CREATE UNIQUE INDEX dnc_entries_live ON dnc_entries (phone, scope, scope_ref, channel) WHERE removed_at IS NULL;
CREATE INDEX dnc_entries_added ON dnc_entries (added_at);

INSERT INTO dnc_entries (phone, source, reason, effective_at, expires_at, added_by, added_at)
  SELECT phone,
    CASE source WHEN 'refusal' THEN 'refusal' WHEN 'import' THEN 'external_list' ELSE 'customer_request' END,
    reason, added_at, expires_at, added_by, added_at
  FROM dnc;
DROP TABLE dnc;
