-- 0005: the operator desk — campaign dialing settings and scripts, the dial queue (leases,
-- retry times), dial attempts for the per-number caps, outcomes, callbacks, agent states and the
-- script steps ticked during calls.

-- JSON: calling windows, holidays, outcomes, dial mode … (shared/contract/campaigns.ts; missing keys take the defaults)
ALTER TABLE campaigns ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

-- The queue's view of a lead. A lead leased to an operator (status in_queue / in_call) is theirs
-- until the lease ends; an expired lease (a crashed seat) puts it back where it came from.
ALTER TABLE leads ADD COLUMN next_at TEXT;        -- not dialable before (retry time)
ALTER TABLE leads ADD COLUMN lease_by INTEGER;    -- users (id)
ALTER TABLE leads ADD COLUMN lease_until TEXT;
ALTER TABLE leads ADD COLUMN lease_from TEXT;     -- the status to go back to
ALTER TABLE leads ADD COLUMN last_outcome TEXT;   -- disposition code
ALTER TABLE leads ADD COLUMN last_call_at TEXT;
ALTER TABLE leads ADD COLUMN card TEXT;           -- JSON: the customer card's life, family and insurance groups
-- Fresh imports have neither, so neither index costs an import anything.
CREATE INDEX leads_retry ON leads (next_at) WHERE next_at IS NOT NULL AND status = 'new';
CREATE INDEX leads_leased ON leads (lease_until) WHERE lease_by IS NOT NULL;

-- Every dial, for the per-number frequency caps across operators and campaigns.
CREATE TABLE dial_attempts (
  id          INTEGER PRIMARY KEY,
  phone       TEXT NOT NULL,
  lead_id     INTEGER REFERENCES leads (id),
  operator_id INTEGER NOT NULL REFERENCES users (id),
  call_id     INTEGER REFERENCES calls (id),
  at          TEXT NOT NULL
) STRICT;
CREATE INDEX dial_attempts_phone ON dial_attempts (phone, at);

CREATE TABLE scripts (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  version     INTEGER NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,                -- JSON: steps, branches, objections
  created_by  INTEGER,
  created_at  TEXT NOT NULL,
  UNIQUE (campaign_id, version)
) STRICT;

ALTER TABLE calls ADD COLUMN campaign_id INTEGER;
ALTER TABLE calls ADD COLUMN script_id INTEGER;

-- The outcome of a call, saved with it in one transaction. client_id makes a resend (after the
-- desk lost the hub for a moment) a no-op instead of a second outcome.
CREATE TABLE outcomes (
  id               INTEGER PRIMARY KEY,
  client_id        TEXT NOT NULL UNIQUE,
  lead_id          INTEGER NOT NULL REFERENCES leads (id),
  call_id          INTEGER UNIQUE REFERENCES calls (id),
  operator_id      INTEGER NOT NULL REFERENCES users (id),
  campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
  disposition      TEXT NOT NULL,
  label            TEXT NOT NULL,            -- the outcome's name when it was picked
  success          INTEGER NOT NULL CHECK (success IN (0, 1)),
  connected        INTEGER NOT NULL CHECK (connected IN (0, 1)),
  notes            TEXT,
  callback_at      TEXT,
  visit_at         TEXT,
  district_code    TEXT,
  consent          INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
  product_interest TEXT,
  simulated        INTEGER NOT NULL DEFAULT 0 CHECK (simulated IN (0, 1)),
  at               TEXT NOT NULL
) STRICT;
CREATE INDEX outcomes_operator ON outcomes (operator_id, at);
CREATE INDEX outcomes_lead ON outcomes (lead_id, at);

-- 预约回拨: owned by an operator, or open to anyone in the campaign (operator_id NULL).
CREATE TABLE callbacks (
  id          INTEGER PRIMARY KEY,
  lead_id     INTEGER NOT NULL REFERENCES leads (id),
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  operator_id INTEGER REFERENCES users (id),
  due_at      TEXT NOT NULL,
  note        TEXT,
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'cancelled')),
  created_by  INTEGER,
  created_at  TEXT NOT NULL,
  done_at     TEXT
) STRICT;
CREATE INDEX callbacks_due ON callbacks (operator_id, due_at) WHERE state = 'pending';
CREATE INDEX callbacks_lead ON callbacks (lead_id) WHERE state = 'pending';

-- Agent states with times, for the reports: ready, dialing, on_call, wrap_up, paused (with a reason).
CREATE TABLE agent_states (
  id          INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES users (id),
  state       TEXT NOT NULL CHECK (state IN ('offline', 'ready', 'dialing', 'on_call', 'wrap_up', 'paused')),
  reason      TEXT,
  started_at  TEXT NOT NULL,
  ended_at    TEXT
) STRICT;
CREATE INDEX agent_states_operator ON agent_states (operator_id, started_at);
CREATE INDEX agent_states_open ON agent_states (operator_id) WHERE ended_at IS NULL;

-- The script's mandatory steps ticked during a call, at their offset in the call (QA shows them on the waveform).
CREATE TABLE script_ticks (
  call_id   INTEGER NOT NULL REFERENCES calls (id),
  step_id   TEXT NOT NULL,
  offset_ms INTEGER NOT NULL,
  at        TEXT NOT NULL,
  PRIMARY KEY (call_id, step_id)
) STRICT;
