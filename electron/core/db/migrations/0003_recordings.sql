-- 0003: calls (the softphone's record of each call) and their recordings.

CREATE TABLE calls (
  id           INTEGER PRIMARY KEY,
  operator_id  INTEGER NOT NULL REFERENCES users (id),
  lead_id      INTEGER REFERENCES leads (id),
  direction    TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  -- 'simulated': the training line (情景模拟); never counted with real calls in reports.
  line         TEXT NOT NULL CHECK (line IN ('sip', 'simulated')),
  started_at   TEXT NOT NULL,
  answered_at  TEXT,
  ended_at     TEXT,
  end_cause    TEXT
) STRICT;
CREATE INDEX calls_operator ON calls (operator_id, started_at);
CREATE INDEX calls_lead ON calls (lead_id) WHERE lead_id IS NOT NULL;

-- Every established call is recorded in stereo (operator left, customer right), written in
-- chunks as it runs. A recording still 'recording' when the app starts was cut off by a crash:
-- it is closed as 'interrupted' with what reached the disk.
CREATE TABLE recordings (
  id              INTEGER PRIMARY KEY,
  call_id         INTEGER NOT NULL UNIQUE REFERENCES calls (id),
  operator_id     INTEGER NOT NULL REFERENCES users (id),
  lead_id         INTEGER REFERENCES leads (id),
  file            TEXT NOT NULL,            -- relative to the data directory
  mime            TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('recording', 'done', 'interrupted')),
  started_at      TEXT NOT NULL,
  ended_at        TEXT,
  duration_ms     INTEGER NOT NULL DEFAULT 0,
  bytes           INTEGER NOT NULL DEFAULT 0,
  chunks          INTEGER NOT NULL DEFAULT 0,
  last_chunk_at   TEXT,                     -- a recording silent for long lost its renderer
  sha256          TEXT,
  -- waveform: per 20 ms frame, int8 min/max of the left then the right channel
  peaks           BLOB,
  peaks_per_sec   INTEGER NOT NULL DEFAULT 50,
  -- 保险销售行为可回溯: calls are kept; closed sales 5 or 10 years by policy term (set on sale).
  retention_class TEXT NOT NULL DEFAULT 'call' CHECK (retention_class IN ('call', 'sale_5y', 'sale_10y')),
  retain_until    TEXT
) STRICT;
CREATE INDEX recordings_operator ON recordings (operator_id, started_at);
CREATE INDEX recordings_state ON recordings (state) WHERE state = 'recording';
