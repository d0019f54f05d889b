-- 0006: quality assurance (质检) — what the two channels of each recording say, the review queue
-- with its claims, versioned scorecards per campaign, reviews with every step kept (appeals,
-- decisions, reopenings), annotations on the waveform, and the success gate before dispatch.

-- Computed once when a recording closes (from its stored peaks); the library filters and sorts
-- by them, the queue rules test them, the per-operator chart averages them.
CREATE TABLE recording_metrics (
  recording_id          INTEGER PRIMARY KEY REFERENCES recordings (id),
  operator_talk_share   REAL NOT NULL,
  customer_talk_share   REAL NOT NULL,
  silence_share         REAL NOT NULL,
  longest_silence_ms    INTEGER NOT NULL,
  talk_over_share       REAL NOT NULL,
  talk_over_ms          INTEGER NOT NULL,
  longest_monologue_ms  INTEGER NOT NULL,
  first_customer_word_ms INTEGER,
  hung_up_by            TEXT NOT NULL CHECK (hung_up_by IN ('operator', 'customer', 'unknown'))
) STRICT;

-- The review queue: one entry per call, with why it is there (JSON array: success, sample,
-- flag, metric:<rule>). A reviewer claims an entry for a while so two never score the same call.
CREATE TABLE qa_queue (
  call_id       INTEGER PRIMARY KEY REFERENCES calls (id),
  reasons       TEXT NOT NULL,
  added_at      TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
  claimed_by    INTEGER REFERENCES users (id),
  claimed_until TEXT,
  priority      INTEGER NOT NULL DEFAULT 0      -- successes waiting at the gate first
) STRICT;
CREATE INDEX qa_queue_open ON qa_queue (priority DESC, added_at) WHERE state = 'open';

-- The weekly sample per operator: every call counted once, one in each block of 100/percent
-- calls drawn at a position nobody can predict.
CREATE TABLE qa_sample_weeks (
  operator_id INTEGER NOT NULL REFERENCES users (id),
  week        TEXT NOT NULL,                    -- local date of that week's Monday
  seen        INTEGER NOT NULL DEFAULT 0,
  sampled     INTEGER NOT NULL DEFAULT 0,
  seed        INTEGER NOT NULL,                 -- random per operator and week: where in each block the draw falls
  PRIMARY KEY (operator_id, week)
) STRICT;
ALTER TABLE calls ADD COLUMN qa_sampled INTEGER;  -- NULL: not yet considered for the sample

-- Flags raised on a call by an operator, a field agent or anyone who listened.
CREATE TABLE qa_flags (
  id       INTEGER PRIMARY KEY,
  call_id  INTEGER NOT NULL REFERENCES calls (id),
  user_id  INTEGER NOT NULL REFERENCES users (id),
  reason   TEXT NOT NULL,
  at       TEXT NOT NULL
) STRICT;
CREATE INDEX qa_flags_call ON qa_flags (call_id);

CREATE TABLE scorecards (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  version     INTEGER NOT NULL,
  body        TEXT NOT NULL,                    -- JSON: groups of items, pass mark
  created_by  INTEGER,
  created_at  TEXT NOT NULL,
  UNIQUE (campaign_id, version)
) STRICT;

-- One review per call. state: submitted → appealed → (upheld | overturned | reopened → submitted …)
CREATE TABLE qa_reviews (
  id           INTEGER PRIMARY KEY,
  call_id      INTEGER NOT NULL UNIQUE REFERENCES calls (id),
  recording_id INTEGER NOT NULL REFERENCES recordings (id),
  operator_id  INTEGER NOT NULL REFERENCES users (id),
  reviewer_id  INTEGER NOT NULL REFERENCES users (id),
  scorecard_id INTEGER NOT NULL REFERENCES scorecards (id),
  scores       TEXT NOT NULL,                   -- JSON: [{ itemId, score, failed, note }]
  total        REAL NOT NULL,
  max          REAL NOT NULL,
  auto_failed  INTEGER NOT NULL CHECK (auto_failed IN (0, 1)),
  verdict      TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'fix')),
  comment      TEXT,
  state        TEXT NOT NULL CHECK (state IN ('submitted', 'appealed', 'reopened', 'final')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX qa_reviews_operator ON qa_reviews (operator_id, created_at);
CREATE INDEX qa_reviews_state ON qa_reviews (state) WHERE state IN ('appealed', 'reopened');

-- Every step of a review, never changed: submitted, appealed, upheld, overturned, reopened, resubmitted.
CREATE TABLE qa_review_events (
  id        INTEGER PRIMARY KEY,
  review_id INTEGER NOT NULL REFERENCES qa_reviews (id),
  at        TEXT NOT NULL,
  user_id   INTEGER NOT NULL REFERENCES users (id),
  action    TEXT NOT NULL,
  verdict   TEXT,
  note      TEXT
) STRICT;
CREATE INDEX qa_review_events_review ON qa_review_events (review_id, id);
CREATE TRIGGER qa_review_events_no_update BEFORE UPDATE ON qa_review_events BEGIN SELECT RAISE(ABORT, 'review history is append-only'); END;
CREATE TRIGGER qa_review_events_no_delete BEFORE DELETE ON qa_review_events BEGIN SELECT RAISE(ABORT, 'review history is append-only'); END;

-- A reviewer's region on the waveform with a comment (linked to the review once it is submitted).
CREATE TABLE qa_annotations (
  id           INTEGER PRIMARY KEY,
  recording_id INTEGER NOT NULL REFERENCES recordings (id),
  start_ms     INTEGER NOT NULL,
  end_ms       INTEGER NOT NULL,
  comment      TEXT NOT NULL,
  item_id      TEXT,                           -- the scorecard item it supports, if any
  user_id      INTEGER NOT NULL REFERENCES users (id),
  at           TEXT NOT NULL
) STRICT;
CREATE INDEX qa_annotations_recording ON qa_annotations (recording_id);

-- The success gate: NULL — no gate (dispatch may take it); pending — waiting for QA;
-- passed — QA passed the call; failed — returned to the supervisors with the reason.
ALTER TABLE leads ADD COLUMN qa_gate TEXT CHECK (qa_gate IN ('pending', 'passed', 'failed'));
ALTER TABLE leads ADD COLUMN qa_note TEXT;
CREATE INDEX leads_qa_gate ON leads (qa_gate) WHERE qa_gate IS NOT NULL;
