-- 0028: complaint cases (投诉), the proofs of erasure, and the retention runs.

-- A complaint case: who complained (the number; the lead when known), about what, through which
-- channel, which calls it concerns, who owns it and by when it must be decided (15 days from
-- receipt, once extendable to 30 with a reason). received → handling → decided → closed; a closed
-- case may be reopened. Each step is an event below and an audit entry.
CREATE TABLE complaints (
  id             INTEGER PRIMARY KEY,
  phone          TEXT NOT NULL,
  lead_id        INTEGER REFERENCES leads (id),
  category       TEXT NOT NULL CHECK (category IN ('harassment', 'misSold', 'privacy', 'attitude', 'other')),
  channel        TEXT NOT NULL CHECK (channel IN ('call', 'follow_up', 'field', 'hotline', 'letter', 'regulator', 'online', 'other')),
  summary        TEXT NOT NULL,
  call_ids       TEXT NOT NULL DEFAULT '[]',     -- JSON: the calls (and so the recordings) it concerns
  follow_up_id   INTEGER REFERENCES follow_ups (id),
  operator_id    INTEGER REFERENCES users (id), -- the operator of the calls concerned, for the reports
  batch_id       INTEGER,                       -- the lead's import, for the report per list supplier
  owner_id       INTEGER REFERENCES users (id),
  state          TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'handling', 'decided', 'closed')),
  received_at    TEXT NOT NULL,
  due_at         TEXT NOT NULL,
  extended_at    TEXT,
  extend_reason  TEXT,
  answer_contact TEXT,                          -- how the customer wants the answer (a number, an address)
  decision       TEXT,
  decided_at     TEXT,
  closed_at      TEXT,
  created_by     INTEGER REFERENCES users (id),
  created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX complaints_open ON complaints (due_at) WHERE state IN ('received', 'handling');
CREATE INDEX complaints_phone ON complaints (phone);
CREATE INDEX complaints_received ON complaints (received_at);

CREATE TABLE complaint_events (
  id           INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints (id),
  at           TEXT NOT NULL,
  user_id      INTEGER REFERENCES users (id),
  action       TEXT NOT NULL,
  note         TEXT
) STRICT;
CREATE INDEX complaint_events_case ON complaint_events (complaint_id, at);

-- 犹豫期退保: a customer reached in a 回访 who asks to cancel the policy in the cooling-off period.
ALTER TABLE follow_ups ADD COLUMN cancellation INTEGER NOT NULL DEFAULT 0;

-- An erasure's proof: the number's keyed hash (HMAC under the centre's privacy key), never the
-- number; what was removed and what had to be kept (a signed sale's record).
CREATE TABLE erasures (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  user_id    INTEGER REFERENCES users (id),
  phone_hash TEXT NOT NULL,
  reason     TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('request', 'retention')),
  removed    TEXT NOT NULL,                     -- JSON counts per record class
  kept       TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX erasures_hash ON erasures (phone_hash);

-- The privacy key (32 random bytes, sealed like the SIP passwords): the keyed hashes of erased numbers.
CREATE TABLE privacy_key (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  key_sealed BLOB NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

-- Each retention run (by the timer or by hand, dry or not) and what it removed.
CREATE TABLE retention_runs (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  dry_run INTEGER NOT NULL,
  source  TEXT NOT NULL,
  report  TEXT NOT NULL
) STRICT;

-- An entry that stops a number whose data was erased keeps only the number's keyed hash.
ALTER TABLE dnc_entries ADD COLUMN hashed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX dnc_entries_hashed ON dnc_entries (hashed) WHERE hashed = 1;

-- A deleted lead's words leave the search index at once, not at the next merge.
INSERT INTO leads_fts (leads_fts, rank) VALUES ('secure-delete', 1);

-- The histories stay append-only, except for an erasure (or a retention run): it opens this gate
-- inside its own transaction and closes it before committing, so no one else ever sees it open.
CREATE TABLE erasure_gate (id INTEGER PRIMARY KEY CHECK (id = 1)) STRICT;
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN NOT EXISTS (SELECT 1 FROM erasure_gate)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
DROP TRIGGER qa_review_events_no_update;
DROP TRIGGER qa_review_events_no_delete;
CREATE TRIGGER qa_review_events_no_update BEFORE UPDATE ON qa_review_events BEGIN SELECT RAISE(ABORT, 'review history is append-only'); END;
CREATE TRIGGER qa_review_events_no_delete BEFORE DELETE ON qa_review_events WHEN NOT EXISTS (SELECT 1 FROM erasure_gate)
BEGIN SELECT RAISE(ABORT, 'review history is append-only'); END;
DROP TRIGGER dispatch_events_no_update;
DROP TRIGGER dispatch_events_no_delete;
CREATE TRIGGER dispatch_events_no_update BEFORE UPDATE ON dispatch_events BEGIN SELECT RAISE(ABORT, 'dispatch history is append-only'); END;
CREATE TRIGGER dispatch_events_no_delete BEFORE DELETE ON dispatch_events WHEN NOT EXISTS (SELECT 1 FROM erasure_gate)
BEGIN SELECT RAISE(ABORT, 'dispatch history is append-only'); END;
