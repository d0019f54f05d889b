-- 0014: how many leads each campaign has in each status, kept as leads change, so the wallboard's
-- queue health reads a few rows instead of scanning the pool (a million leads took ~0.4 s a refresh).
-- Inserts are not counted by a trigger (it would triple an import's time): rows above `upto` are
-- counted in chunks by the catch-up (reports/repo.ts), like the search index; updates and deletes of
-- counted rows are followed here.
CREATE TABLE lead_status_counts (
  campaign_id INTEGER NOT NULL,
  status      TEXT NOT NULL,
  n           INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, status)
) STRICT, WITHOUT ROWID;

CREATE TABLE lead_status_counts_state (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  upto INTEGER NOT NULL
) STRICT;

INSERT INTO lead_status_counts (campaign_id, status, n)
  SELECT campaign_id, status, count(*) FROM leads GROUP BY campaign_id, status;
INSERT INTO lead_status_counts_state (id, upto) VALUES (1, coalesce((SELECT max(id) FROM leads), 0));

CREATE TRIGGER leads_status_counted AFTER UPDATE OF status, campaign_id ON leads
  WHEN (NEW.status IS NOT OLD.status OR NEW.campaign_id IS NOT OLD.campaign_id)
    AND OLD.id <= (SELECT upto FROM lead_status_counts_state WHERE id = 1)
BEGIN
  UPDATE lead_status_counts SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND status = OLD.status;
  INSERT INTO lead_status_counts (campaign_id, status, n) VALUES (NEW.campaign_id, NEW.status, 1)
    ON CONFLICT (campaign_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER leads_status_uncounted AFTER DELETE ON leads
  WHEN OLD.id <= (SELECT upto FROM lead_status_counts_state WHERE id = 1)
BEGIN
  UPDATE lead_status_counts SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND status = OLD.status;
END;

-- Workable leads past their attempts: only leads that were dialed are in it (an import adds none).
CREATE INDEX leads_dialed_workable ON leads (campaign_id, attempts)
  WHERE attempts > 0 AND status IN ('new', 'allocated', 'callback');

-- Number quality per batch reads its bad numbers here instead of every lead of the period's batches.
CREATE INDEX leads_bad_numbers ON leads (batch_id, last_outcome)
  WHERE last_outcome IN ('vacant', 'suspended', 'wrong_number');
