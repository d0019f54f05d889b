-- 0002: campaigns, the lead pool, imports with their per-row report, do-not-call list,
-- daily allocations, lead history, and the search index.

CREATE TABLE campaigns (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  rules      TEXT NOT NULL DEFAULT '{}',    -- JSON: private-pool rules and later the calling rules
  created_at TEXT NOT NULL
) STRICT;
INSERT INTO campaigns (id, name, created_at) VALUES (1, '默认活动', '1970-01-01T00:00:00.000Z');

CREATE TABLE import_batches (
  id                  INTEGER PRIMARY KEY,
  campaign_id         INTEGER NOT NULL REFERENCES campaigns (id),
  file_name           TEXT NOT NULL,
  source              TEXT NOT NULL,       -- who the list came from (vendor, channel)
  kind                TEXT NOT NULL,       -- csv | xlsx
  encoding            TEXT,
  sheet               TEXT,
  policy              TEXT NOT NULL CHECK (policy IN ('skip', 'fill', 'attach')),
  mapping             TEXT NOT NULL,       -- JSON: column → field
  rows                INTEGER NOT NULL DEFAULT 0,
  imported            INTEGER NOT NULL DEFAULT 0,
  duplicates_in_file  INTEGER NOT NULL DEFAULT 0,
  duplicates_in_pool  INTEGER NOT NULL DEFAULT 0,
  invalid             INTEGER NOT NULL DEFAULT 0,
  dnc                 INTEGER NOT NULL DEFAULT 0,
  created_by          INTEGER,
  created_at          TEXT NOT NULL
) STRICT;

CREATE TABLE leads (
  id               INTEGER PRIMARY KEY,
  campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
  phone            TEXT NOT NULL UNIQUE,    -- normalised digits
  phone_kind       TEXT NOT NULL CHECK (phone_kind IN ('mobile', 'landline')),
  name             TEXT,
  gender           TEXT CHECK (gender IN ('M', 'F')),
  birth_date       TEXT,
  id_no            TEXT,
  address          TEXT,
  district_code    TEXT REFERENCES districts (code),
  employer         TEXT,
  occupation       TEXT,
  note             TEXT,
  extra            TEXT,                    -- JSON: the file's other columns
  status           TEXT NOT NULL DEFAULT 'new' CHECK (status IN
                     ('new', 'allocated', 'in_queue', 'in_call', 'callback', 'accepted', 'refused',
                      'invalid_number', 'dnc', 'exhausted')),
  batch_id         INTEGER NOT NULL REFERENCES import_batches (id),   -- the import that brought it
  owner_id         INTEGER REFERENCES users (id),                   -- 私海: the operator holding it
  owned_since      TEXT,
  last_follow_up_at TEXT,
  last_progress_at TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
-- Partial indexes: a fresh import writes only 'new' leads that nobody holds, so it touches
-- neither (the pool's writes stay cheap); what the queue, the private pools and the reports look
-- up (held leads, leads past 'new') stays indexed.
CREATE INDEX leads_owner ON leads (owner_id, status) WHERE owner_id IS NOT NULL;
CREATE INDEX leads_status ON leads (status, campaign_id) WHERE status <> 'new';
-- Imports append to their batch: this one costs little and feeds daily allocation.
CREATE INDEX leads_batch ON leads (batch_id, status);

-- Leads that a later import attached to its batch (policy 'attach'): batch membership beyond the first.
CREATE TABLE lead_batches (
  lead_id  INTEGER NOT NULL REFERENCES leads (id),
  batch_id INTEGER NOT NULL REFERENCES import_batches (id),
  PRIMARY KEY (lead_id, batch_id)
) STRICT, WITHOUT ROWID;

-- The per-row report of an import: every row not imported, and rows imported with a warning.
CREATE TABLE import_rows (
  batch_id INTEGER NOT NULL REFERENCES import_batches (id),
  row_no   INTEGER NOT NULL,
  outcome  TEXT NOT NULL CHECK (outcome IN ('invalid', 'duplicate_in_file', 'duplicate_in_pool', 'dnc', 'warning')),
  reason   TEXT NOT NULL,                   -- i18n key under importReasons.
  detail   TEXT,
  lead_id  INTEGER,
  raw      TEXT NOT NULL,                   -- JSON array of the row's cells
  PRIMARY KEY (batch_id, row_no, outcome)
) STRICT;

-- 免打扰/拒访名单. A number here is never dialable while the entry is in force.
CREATE TABLE dnc (
  phone      TEXT PRIMARY KEY,
  reason     TEXT NOT NULL,
  source     TEXT NOT NULL,               -- manual | import | refusal | customer_request
  added_by   INTEGER,
  added_at   TEXT NOT NULL,
  expires_at TEXT                          -- NULL: permanent
) STRICT;

-- Saved column mappings, per source.
CREATE TABLE import_mappings (
  source     TEXT PRIMARY KEY,
  mapping    TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- Daily batches: which operator works which lead on which day.
CREATE TABLE allocations (
  id           INTEGER PRIMARY KEY,
  lead_id      INTEGER NOT NULL REFERENCES leads (id),
  operator_id  INTEGER NOT NULL REFERENCES users (id),
  day          TEXT NOT NULL,               -- YYYY-MM-DD, the working day
  allocated_by INTEGER,
  allocated_at TEXT NOT NULL,
  UNIQUE (lead_id, day)
) STRICT;
CREATE INDEX allocations_operator ON allocations (operator_id, day);
CREATE INDEX allocations_day ON allocations (day);

-- A lead's history beyond its import: allocations, recalls, handovers, claims, status changes.
CREATE TABLE lead_events (
  id      INTEGER PRIMARY KEY,
  lead_id INTEGER NOT NULL REFERENCES leads (id),
  at      TEXT NOT NULL,
  user_id INTEGER,
  kind    TEXT NOT NULL,
  details TEXT
) STRICT;
CREATE INDEX lead_events_lead ON lead_events (lead_id, id);

-- Search as people type, by any part of a name, phone or address (trigram: Chinese included).
-- Contentless: the text lives in leads; the index holds only trigrams. The name is written as
-- ^name$ so that two-character searches can match the start or end of a name (王芳, 小芳).
CREATE VIRTUAL TABLE leads_fts USING fts5 (txt, content = '', contentless_delete = 1, tokenize = 'trigram');
-- Leads up to this id are in leads_fts. Imports write leads first and index them right after,
-- outside the import's transaction; searches cover the rest by scanning it.
CREATE TABLE leads_fts_state (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  upto INTEGER NOT NULL
) STRICT;
INSERT INTO leads_fts_state (id, upto) VALUES (1, 0);
