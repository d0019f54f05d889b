-- 0023: a year's holidays loaded by an administrator from the State Council's notice, for a year the
-- bundled data does not cover yet (the notice comes out in November; an update of the app may come
-- later). A year the bundled data covers is taken from it.
CREATE TABLE calendar_years (
  year       INTEGER PRIMARY KEY,
  notice     TEXT NOT NULL,
  loaded_by  INTEGER REFERENCES users (id),
  loaded_at  TEXT NOT NULL
);
CREATE TABLE calendar_days (
  day   TEXT PRIMARY KEY,
  year  INTEGER NOT NULL REFERENCES calendar_years (year) ON DELETE CASCADE,
  kind  TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name  TEXT NOT NULL
);
