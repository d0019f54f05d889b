-- 0013: every backup the hub ran (by schedule or by hand), for the wallboard and the audit of
-- whether the centre's data is safe.
CREATE TABLE backups (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  ok          INTEGER CHECK (ok IN (0, 1)),
  dest        TEXT NOT NULL,
  set_dir     TEXT,
  detail      TEXT                      -- JSON: the figures, or the error
) STRICT;
CREATE INDEX backups_started ON backups (started_at);
