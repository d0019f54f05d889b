-- 0033: webhooks for outside systems. An endpoint (https, or http on loopback for testing) with the
-- event types it wants and its signing secret (sealed); each event is a delivery row written in the
-- transaction of the change (the outbox), sent in order per lead, retried with back-off for a day,
-- then kept as dead for the administrator to send again.
CREATE TABLE webhooks (
  id            INTEGER PRIMARY KEY,
  url           TEXT NOT NULL,
  events        TEXT NOT NULL,                  -- JSON array of event types
  secret_sealed BLOB NOT NULL,                  -- whsec_… (Standard Webhooks)
  campaign_id   INTEGER REFERENCES campaigns (id),
  api_key_id    INTEGER REFERENCES api_keys (id),
  created_by    INTEGER,
  created_at    TEXT NOT NULL,
  disabled_at   TEXT
) STRICT;

CREATE TABLE webhook_deliveries (
  id           INTEGER PRIMARY KEY,
  webhook_id   INTEGER NOT NULL REFERENCES webhooks (id),
  msg_id       TEXT NOT NULL UNIQUE,            -- webhook-id: msg_…, the same on every try
  event_type   TEXT NOT NULL,
  lead_id      INTEGER,
  payload      TEXT NOT NULL,                   -- the JSON body as sent
  state        TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at      TEXT NOT NULL,
  last_status  INTEGER,
  last_error   TEXT,
  created_at   TEXT NOT NULL,
  delivered_at TEXT
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_lead ON webhook_deliveries (webhook_id, lead_id, id) WHERE state = 'pending';
