-- 0032: the integration API (/api/v1) for the insurers' and suppliers' systems. An API key is shown
-- once and kept as its SHA-256 only, with its scopes, an optional campaign it is held to, an expiry,
-- its last use and its revocation. A POST carries an idempotency key: its answer is kept a day, and
-- the same key sent again gets the same answer without doing the work twice.
CREATE TABLE api_keys (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  prefix       TEXT NOT NULL UNIQUE,            -- the key's public part: ll_<prefix>_<secret>
  key_hash     BLOB NOT NULL,                   -- sha256 of the whole key
  scopes       TEXT NOT NULL,                   -- JSON array
  campaign_id  INTEGER REFERENCES campaigns (id),
  expires_at   TEXT,
  created_by   INTEGER,
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at   TEXT
) STRICT;

CREATE TABLE api_idempotency (
  key_id     INTEGER NOT NULL REFERENCES api_keys (id),
  idem_key   TEXT NOT NULL,
  request    TEXT NOT NULL,                     -- method and path, and a hash of the body
  status     INTEGER NOT NULL,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (key_id, idem_key)
) STRICT;
