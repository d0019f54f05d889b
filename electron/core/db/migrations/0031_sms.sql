-- 0031: messages to the customer (短信). The administrator keeps the templates (their text, the
-- centre's signature 【…】 and the approval status a Chinese SMS provider requires); a visit booked
-- with a field agent, or moved, queues a message; the gateway (Kannel) sends it from this outbox,
-- retried with back-off, with its delivery reports. 退订 (TD) replies stop SMS through the
-- do-not-contact list (channel 'sms').
CREATE TABLE sms_templates (
  kind        TEXT PRIMARY KEY CHECK (kind IN ('visit_booked', 'visit_changed')),
  signature   TEXT NOT NULL,                  -- 【线索通】
  body        TEXT NOT NULL,                  -- with {客户} {时间} {业务员}
  status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
  provider_code TEXT,                         -- the provider's id of the approved template
  updated_by  INTEGER,
  updated_at  TEXT NOT NULL
) STRICT;
INSERT INTO sms_templates (kind, signature, body, updated_at) VALUES
  ('visit_booked', '【线索通】', '{客户}您好，已为您预约{时间}上门服务，业务员{业务员}将准时拜访，请保持电话畅通。回复TD退订', '2026-01-01T00:00:00.000Z'),
  ('visit_changed', '【线索通】', '{客户}您好，您的上门服务已改到{时间}，业务员{业务员}将准时拜访。回复TD退订', '2026-01-01T00:00:00.000Z');

-- The gateway: one, the password sealed like the SIP passwords.
CREATE TABLE sms_gateway (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  enabled         INTEGER NOT NULL DEFAULT 0,
  send_url        TEXT NOT NULL,              -- Kannel smsbox: http://host:13013/cgi-bin/sendsms
  username        TEXT NOT NULL,
  password_sealed BLOB NOT NULL,
  sender          TEXT NOT NULL,              -- the number the customer sees (10690000…)
  callback_base   TEXT NOT NULL,              -- how the gateway reaches the hub (delivery reports, replies)
  mo_key          TEXT NOT NULL,              -- in the reply URL: only the gateway knows it
  updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE sms_messages (
  id           INTEGER PRIMARY KEY,
  lead_id      INTEGER REFERENCES leads (id),
  dispatch_id  INTEGER,
  kind         TEXT NOT NULL,
  phone        TEXT NOT NULL,
  body         TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'failed', 'blocked')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at      TEXT,
  error        TEXT,
  dlr_token    TEXT NOT NULL,
  dlr_status   INTEGER,
  created_at   TEXT NOT NULL,
  sent_at      TEXT,
  delivered_at TEXT
) STRICT;
CREATE INDEX sms_messages_due ON sms_messages (next_at) WHERE state = 'queued';
CREATE INDEX sms_messages_lead ON sms_messages (lead_id);
