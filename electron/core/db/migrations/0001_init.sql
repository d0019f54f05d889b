-- 0001: users and roles, login sessions, the audit log, settings, districts.

CREATE TABLE districts (
  code      TEXT PRIMARY KEY,            -- official administrative code, e.g. 450103
  name      TEXT NOT NULL,
  city      TEXT NOT NULL,
  aliases   TEXT NOT NULL DEFAULT '[]',  -- JSON array of former names (横县, 武鸣县 ...)
  direction TEXT CHECK (direction IN ('east', 'south', 'west', 'north'))
) STRICT;

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL COLLATE NOCASE UNIQUE,
  display_name   TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('operator', 'qa', 'supervisor', 'leader', 'field_agent', 'admin')),
  staff_no       TEXT UNIQUE,                         -- 工号, said at the start of every call
  district_code  TEXT REFERENCES districts (code),   -- leaders and field agents belong to one district
  password_hash  TEXT NOT NULL,
  -- The demo password of a demo-seeded account, shown on the login page in demo mode only;
  -- cleared as soon as the password changes.
  demo_password  TEXT,
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_until   TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  last_login_at  TEXT
) STRICT;
CREATE INDEX users_role ON users (role);
CREATE INDEX users_district ON users (district_code);

CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,   -- SHA-256 of the token; the token itself is never stored
  user_id      INTEGER NOT NULL REFERENCES users (id),
  source       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ended_at     TEXT,
  end_reason   TEXT
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

-- Append-only: who did what, when, to which record. Later domains write here too.
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  user_id   INTEGER,
  username  TEXT,
  action    TEXT NOT NULL,
  entity    TEXT,
  entity_id TEXT,
  details   TEXT,      -- JSON
  source    TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL      -- JSON
) STRICT;
