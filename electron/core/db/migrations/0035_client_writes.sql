-- 0035: a seat's writes applied once. A 'resend' write (an outcome, a QA score, a 回访 result …)
-- carries the client id its seat made; the id is saved in the same transaction as the write, so a
-- write and its id reach the replica together. After a takeover the seat sends again what the old
-- hub had acknowledged: an id found here is answered "already applied" and nothing is done twice.
CREATE TABLE client_writes (
  client_id TEXT PRIMARY KEY,
  user_id   INTEGER NOT NULL,
  method    TEXT NOT NULL,
  at        TEXT NOT NULL    -- kept three days; the hourly prune scans (no index: one B-tree less per write)
) WITHOUT ROWID;
