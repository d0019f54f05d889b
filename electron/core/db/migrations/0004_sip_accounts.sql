-- 0004: each operator's SIP account for the softphone. The password is sealed (AES-256-GCM with
-- the hub's key file, or the desktop's OS keychain through Electron's safeStorage), never plain.

CREATE TABLE sip_accounts (
  user_id         INTEGER PRIMARY KEY REFERENCES users (id),
  ws_url          TEXT NOT NULL,
  domain          TEXT NOT NULL,
  sip_user        TEXT NOT NULL,
  password_sealed BLOB NOT NULL,
  display_name    TEXT NOT NULL,
  ice_servers     TEXT NOT NULL DEFAULT '[]',   -- JSON array of RTCIceServer
  outside_prefix  TEXT NOT NULL DEFAULT '',
  updated_at      TEXT NOT NULL
) STRICT;
