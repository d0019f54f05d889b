-- 0029: the caller-ID pool (外显号码池). The numbers the centre owns, with their carrier and
-- 归属地, the line they go out on, the campaigns they may serve (an empty list: all), whether they
-- are in use, and a daily cap. Each number's calls are counted per day (the caps and the spread),
-- and the number a call showed is kept on the call.
CREATE TABLE caller_numbers (
  id            INTEGER PRIMARY KEY,
  number        TEXT NOT NULL UNIQUE,            -- digits: 07715123456, 13812345678
  e164          TEXT NOT NULL,                   -- +867715123456
  carrier       TEXT NOT NULL DEFAULT '',        -- as the file says (运营商)
  data_carrier  TEXT,                            -- as the numbering data says (mobiles)
  province      TEXT,
  city          TEXT,
  line          TEXT NOT NULL DEFAULT '',        -- the trunk it goes out on (线路)
  campaigns     TEXT NOT NULL DEFAULT '[]',      -- JSON: campaign ids; [] for all
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  status_reason TEXT,
  daily_cap     INTEGER NOT NULL DEFAULT 200,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE caller_number_days (
  number_id INTEGER NOT NULL REFERENCES caller_numbers (id),
  day       TEXT NOT NULL,                       -- the centre's day
  calls     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (number_id, day)
) STRICT, WITHOUT ROWID;

ALTER TABLE calls ADD COLUMN shown_number TEXT;
CREATE INDEX calls_shown_number ON calls (shown_number, started_at) WHERE shown_number IS NOT NULL;
