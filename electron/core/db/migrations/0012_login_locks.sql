-- 0012: failed logins are counted per account AND the address they come from, so that someone
-- guessing from one machine locks that machine out, not the real user at their own seat (before,
-- five wrong passwords from anywhere locked any account, the administrator's included).
-- Unknown user names are counted the same way, so a lock tells nothing about which names exist.
CREATE TABLE login_failures (
  username     TEXT NOT NULL COLLATE NOCASE,
  address      TEXT NOT NULL,
  failed       INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (username, address)
) STRICT, WITHOUT ROWID;
