-- 0009: figures kept as things happen, so that reports over a week or a month sum a few thousand
-- rows instead of millions of calls: per operator, day and campaign (the centre's calendar day, from the
-- time-zone setting), and the funnel per import batch (each lead's steps as bits, counted once).

CREATE TABLE operator_days (
  operator_id INTEGER NOT NULL,
  day         TEXT NOT NULL,
  campaign_id INTEGER NOT NULL,
  calls       INTEGER NOT NULL DEFAULT 0,   -- real (SIP) calls started that day
  answered    INTEGER NOT NULL DEFAULT 0,
  talk_sec    REAL NOT NULL DEFAULT 0,
  connected   INTEGER NOT NULL DEFAULT 0,   -- outcomes saved that day (simulated never)
  successes   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (operator_id, day, campaign_id)
) STRICT, WITHOUT ROWID;

-- A lead's steps: 1 dialed, 2 contacted, 4 accepted, 8 QA passed (released to dispatch),
-- 16 assigned, 32 visited, 64 signed, 128 followed up.
ALTER TABLE leads ADD COLUMN milestones INTEGER NOT NULL DEFAULT 0;
CREATE TABLE batch_funnel (
  batch_id    INTEGER PRIMARY KEY,
  dialed      INTEGER NOT NULL DEFAULT 0,
  contacted   INTEGER NOT NULL DEFAULT 0,
  accepted    INTEGER NOT NULL DEFAULT 0,
  qa_passed   INTEGER NOT NULL DEFAULT 0,
  assigned    INTEGER NOT NULL DEFAULT 0,
  visited     INTEGER NOT NULL DEFAULT 0,
  signed      INTEGER NOT NULL DEFAULT 0,
  followed_up INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX agent_states_started ON agent_states (started_at);

-- The daily reports made (on schedule or on demand), kept as files under reports/.
CREATE TABLE daily_reports (
  day        TEXT PRIMARY KEY,
  file       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX import_batches_created ON import_batches (created_at);

-- What happened before this version, counted once.
INSERT INTO operator_days (operator_id, day, campaign_id, calls, answered, talk_sec)
  SELECT operator_id, local_day(started_at, (SELECT value FROM settings WHERE key = 'timeZone')) AS d, coalesce(campaign_id, 0) AS cid, count(*),
    count(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN 1 END),
    coalesce(sum(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN (julianday(ended_at) - julianday(answered_at)) * 86400 END), 0)
  FROM calls WHERE line = 'sip' GROUP BY operator_id, d, cid;
INSERT INTO operator_days (operator_id, day, campaign_id, connected, successes)
  SELECT operator_id, local_day(at, (SELECT value FROM settings WHERE key = 'timeZone')) AS d, campaign_id, sum(connected), sum(success)
  FROM outcomes WHERE simulated = 0 GROUP BY operator_id, d, campaign_id
  ON CONFLICT (operator_id, day, campaign_id) DO UPDATE SET connected = excluded.connected, successes = excluded.successes;
UPDATE leads SET milestones =
    (attempts > 0)
  | (EXISTS (SELECT 1 FROM outcomes o WHERE o.lead_id = leads.id AND o.connected = 1 AND o.simulated = 0)) << 1
  | (EXISTS (SELECT 1 FROM outcomes o WHERE o.lead_id = leads.id AND o.success = 1)) << 2
  | (EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = leads.id)) << 3
  | (EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = leads.id AND d.agent_id IS NOT NULL)) << 4
  | (EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = leads.id AND d.state IN ('visited', 'signed'))) << 5
  | (EXISTS (SELECT 1 FROM dispatches d WHERE d.lead_id = leads.id AND d.state = 'signed')) << 6
  | (EXISTS (SELECT 1 FROM follow_ups f WHERE f.lead_id = leads.id AND f.state = 'done')) << 7
WHERE attempts > 0;
INSERT INTO batch_funnel (batch_id, dialed, contacted, accepted, qa_passed, assigned, visited, signed, followed_up)
  SELECT batch_id, sum(milestones & 1 > 0), sum(milestones & 2 > 0), sum(milestones & 4 > 0), sum(milestones & 8 > 0),
    sum(milestones & 16 > 0), sum(milestones & 32 > 0), sum(milestones & 64 > 0), sum(milestones & 128 > 0)
  FROM leads WHERE milestones > 0 GROUP BY batch_id;

-- From now on, as it happens.
CREATE TRIGGER calls_days_insert AFTER INSERT ON calls WHEN NEW.line = 'sip' BEGIN
  INSERT INTO operator_days (operator_id, day, campaign_id, calls, answered, talk_sec)
  VALUES (NEW.operator_id, local_day(NEW.started_at, (SELECT value FROM settings WHERE key = 'timeZone')), coalesce(NEW.campaign_id, 0), 1,
    NEW.answered_at IS NOT NULL AND NEW.ended_at IS NOT NULL,
    CASE WHEN NEW.answered_at IS NOT NULL AND NEW.ended_at IS NOT NULL THEN (julianday(NEW.ended_at) - julianday(NEW.answered_at)) * 86400 ELSE 0 END)
  ON CONFLICT (operator_id, day, campaign_id) DO UPDATE SET calls = calls + 1, answered = answered + excluded.answered, talk_sec = talk_sec + excluded.talk_sec;
END;
CREATE TRIGGER calls_days_end AFTER UPDATE OF ended_at ON calls
WHEN NEW.line = 'sip' AND OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL AND NEW.answered_at IS NOT NULL BEGIN
  UPDATE operator_days SET answered = answered + 1, talk_sec = talk_sec + (julianday(NEW.ended_at) - julianday(NEW.answered_at)) * 86400
  WHERE operator_id = NEW.operator_id AND day = local_day(NEW.started_at, (SELECT value FROM settings WHERE key = 'timeZone')) AND campaign_id = coalesce(NEW.campaign_id, 0);
END;
CREATE TRIGGER outcomes_days AFTER INSERT ON outcomes WHEN NEW.simulated = 0 BEGIN
  INSERT INTO operator_days (operator_id, day, campaign_id, connected, successes)
  VALUES (NEW.operator_id, local_day(NEW.at, (SELECT value FROM settings WHERE key = 'timeZone')), NEW.campaign_id, NEW.connected, NEW.success)
  ON CONFLICT (operator_id, day, campaign_id) DO UPDATE SET connected = connected + excluded.connected, successes = successes + excluded.successes;
END;

CREATE TRIGGER leads_funnel AFTER UPDATE OF milestones ON leads WHEN NEW.milestones <> OLD.milestones BEGIN
  INSERT OR IGNORE INTO batch_funnel (batch_id) VALUES (NEW.batch_id);
  UPDATE batch_funnel SET
    dialed = dialed + ((NEW.milestones & 1) > (OLD.milestones & 1)),
    contacted = contacted + ((NEW.milestones & 2) > (OLD.milestones & 2)),
    accepted = accepted + ((NEW.milestones & 4) > (OLD.milestones & 4)),
    qa_passed = qa_passed + ((NEW.milestones & 8) > (OLD.milestones & 8)),
    assigned = assigned + ((NEW.milestones & 16) > (OLD.milestones & 16)),
    visited = visited + ((NEW.milestones & 32) > (OLD.milestones & 32)),
    signed = signed + ((NEW.milestones & 64) > (OLD.milestones & 64)),
    followed_up = followed_up + ((NEW.milestones & 128) > (OLD.milestones & 128))
  WHERE batch_id = NEW.batch_id;
END;
CREATE TRIGGER leads_dialed AFTER UPDATE OF attempts ON leads WHEN NEW.attempts > 0 AND (NEW.milestones & 1) = 0 BEGIN
  UPDATE leads SET milestones = milestones | 1 WHERE id = NEW.id;
END;
CREATE TRIGGER outcomes_funnel AFTER INSERT ON outcomes WHEN (NEW.connected = 1 AND NEW.simulated = 0) OR NEW.success = 1 BEGIN
  UPDATE leads SET milestones = milestones | (CASE WHEN NEW.connected = 1 AND NEW.simulated = 0 THEN 2 ELSE 0 END) | (CASE WHEN NEW.success = 1 THEN 4 ELSE 0 END)
  WHERE id = NEW.lead_id;
END;
CREATE TRIGGER dispatches_funnel_insert AFTER INSERT ON dispatches BEGIN
  UPDATE leads SET milestones = milestones | 8 | (CASE WHEN NEW.agent_id IS NOT NULL THEN 16 ELSE 0 END)
    | (CASE WHEN NEW.state IN ('visited', 'signed') THEN 32 ELSE 0 END) | (CASE WHEN NEW.state = 'signed' THEN 64 ELSE 0 END)
  WHERE id = NEW.lead_id;
END;
CREATE TRIGGER dispatches_funnel_update AFTER UPDATE OF agent_id, state ON dispatches BEGIN
  UPDATE leads SET milestones = milestones | (CASE WHEN NEW.agent_id IS NOT NULL THEN 16 ELSE 0 END)
    | (CASE WHEN NEW.state IN ('visited', 'signed') THEN 32 ELSE 0 END) | (CASE WHEN NEW.state = 'signed' THEN 64 ELSE 0 END)
  WHERE id = NEW.lead_id;
END;
CREATE TRIGGER follow_ups_funnel AFTER UPDATE OF state ON follow_ups WHEN NEW.state = 'done' BEGIN
  UPDATE leads SET milestones = milestones | 128 WHERE id = NEW.lead_id;
END;
CREATE TRIGGER follow_ups_funnel_insert AFTER INSERT ON follow_ups WHEN NEW.state = 'done' BEGIN
  UPDATE leads SET milestones = milestones | 128 WHERE id = NEW.lead_id;
END;
