-- 0007: dispatch (派单) — each accepted lead that passed the gate goes to the field team of its
-- district (or direction group), is assigned to an agent there and visited; visits become
-- follow-up calls (回访); the day's successes go to the receiver as a package.

CREATE TABLE dispatches (
  id            INTEGER PRIMARY KEY,
  lead_id       INTEGER NOT NULL REFERENCES leads (id),
  outcome_id    INTEGER NOT NULL UNIQUE REFERENCES outcomes (id),
  call_id       INTEGER REFERENCES calls (id),
  operator_id   INTEGER NOT NULL REFERENCES users (id),
  district_code TEXT NOT NULL REFERENCES districts (code),
  -- the routing unit: the district's code, or 'city:direction' where a city works by direction groups
  unit          TEXT NOT NULL,
  visit_at      TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'assigned', 'visited', 'signed', 'not_interested', 'absent')),
  agent_id      INTEGER REFERENCES users (id),
  package_day   TEXT NOT NULL,                 -- the local day of the success package it is in
  receive_due   TEXT NOT NULL,                 -- with the receiver by (that day's receiveBy)
  assign_due    TEXT NOT NULL,                 -- with an agent by (the next working day's assignBy)
  confirm_due   TEXT,                          -- the visit reported by (visit time + confirmHours)
  policy        TEXT,                          -- JSON, when signed
  notes         TEXT,
  created_at    TEXT NOT NULL,
  assigned_at   TEXT,
  reported_at   TEXT
) STRICT;
CREATE INDEX dispatches_unit ON dispatches (unit, state);
CREATE INDEX dispatches_agent ON dispatches (agent_id, visit_at) WHERE agent_id IS NOT NULL;
CREATE INDEX dispatches_day ON dispatches (package_day);

-- Every step of a dispatch, never changed: created, assigned, reassigned, reported.
CREATE TABLE dispatch_events (
  id          INTEGER PRIMARY KEY,
  dispatch_id INTEGER NOT NULL REFERENCES dispatches (id),
  at          TEXT NOT NULL,
  user_id     INTEGER REFERENCES users (id),
  action      TEXT NOT NULL,
  details     TEXT
) STRICT;
CREATE INDEX dispatch_events_dispatch ON dispatch_events (dispatch_id, id);
CREATE TRIGGER dispatch_events_no_update BEFORE UPDATE ON dispatch_events BEGIN SELECT RAISE(ABORT, 'dispatch history is append-only'); END;
CREATE TRIGGER dispatch_events_no_delete BEFORE DELETE ON dispatch_events BEGIN SELECT RAISE(ABORT, 'dispatch history is append-only'); END;

CREATE TABLE follow_ups (
  id           INTEGER PRIMARY KEY,
  dispatch_id  INTEGER NOT NULL REFERENCES dispatches (id),
  lead_id      INTEGER NOT NULL REFERENCES leads (id),
  kind         TEXT NOT NULL CHECK (kind IN ('visit', 'cooling_off')),
  from_at      TEXT NOT NULL,                  -- worked from (the follow-up window)
  due_at       TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
  operator_id  INTEGER REFERENCES users (id),
  call_id      INTEGER REFERENCES calls (id),
  result       TEXT CHECK (result IN ('satisfied', 'complaint', 'unreachable')),
  complaint    TEXT,
  checks       TEXT,                           -- JSON: the seven points, yes/no
  notes        TEXT,
  created_at   TEXT NOT NULL,
  done_at      TEXT
) STRICT;
CREATE INDEX follow_ups_open ON follow_ups (due_at) WHERE state = 'open';
ALTER TABLE calls ADD COLUMN follow_up_id INTEGER;

-- The daily success packages: the schedule sends each day's once, and tries again a while after a failure.
CREATE TABLE success_packages (
  day        TEXT PRIMARY KEY,
  successes  INTEGER NOT NULL,
  sent_to    TEXT,
  sent_at    TEXT,
  error      TEXT,
  tried_at   TEXT NOT NULL
) STRICT;

-- E-mail for the success package; the password is sealed like the SIP passwords.
CREATE TABLE smtp_settings (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  host            TEXT NOT NULL,
  port            INTEGER NOT NULL,
  secure          INTEGER NOT NULL,
  user            TEXT NOT NULL,
  from_addr       TEXT NOT NULL,
  to_addrs        TEXT NOT NULL,
  password_sealed BLOB
) STRICT;
