-- 0016: live monitoring (监听、耳语、强插): who monitored whose call, in which modes, from when to when.
CREATE TABLE monitor_sessions (
  id            INTEGER PRIMARY KEY,
  supervisor_id INTEGER NOT NULL REFERENCES users (id),
  operator_id   INTEGER NOT NULL REFERENCES users (id),
  call_id       INTEGER NOT NULL REFERENCES calls (id),
  -- the modes in order, with when each began: [{"mode":"listen","at":"…"}, …]
  modes         TEXT NOT NULL,
  started_at    TEXT NOT NULL,
  ended_at      TEXT,
  end_reason    TEXT
) STRICT;
CREATE INDEX monitor_sessions_call ON monitor_sessions (call_id);
CREATE INDEX monitor_sessions_started ON monitor_sessions (started_at);
