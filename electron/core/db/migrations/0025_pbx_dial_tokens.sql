-- 0025: the PBX dials by one-time token. A desk gets a token for each call, never the customer's
-- number; the PBX resolves the token with the hub (authenticated by this key) and dials the number.
-- A centre that already has SIP lines keeps its PBX dialling numbers until the administrator turns
-- tokens on (its PBX has to learn to resolve them first); a new centre starts with tokens.
CREATE TABLE pbx_link (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  key_sealed BLOB NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
INSERT INTO settings (key, value)
  SELECT 'telephony', '{"pbxDialsByToken":false}' WHERE EXISTS (SELECT 1 FROM sip_accounts)
  ON CONFLICT (key) DO NOTHING;
