-- 0021: skips (跳过) — who passed over which lead, when and why. A skipped lead goes behind the
-- others, and an operator has a number of skips per day (settings.skips.perDay).
CREATE TABLE skips (
  id          INTEGER PRIMARY KEY,
  lead_id     INTEGER NOT NULL REFERENCES leads (id),
  operator_id INTEGER NOT NULL REFERENCES users (id),
  reason      TEXT NOT NULL,
  at          TEXT NOT NULL
) STRICT;
CREATE INDEX skips_operator ON skips (operator_id, at);
