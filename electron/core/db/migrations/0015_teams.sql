-- 0015: teams (班组) of operators, each with its supervisor; and districts covered by another
-- district's field team (a district with no leader or agents of its own, formally given to a team).
CREATE TABLE teams (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  supervisor_id INTEGER REFERENCES users (id),
  created_at    TEXT NOT NULL
) STRICT;

-- an operator belongs to at most one team
ALTER TABLE users ADD COLUMN team_id INTEGER REFERENCES teams (id);
CREATE INDEX users_team ON users (team_id) WHERE team_id IS NOT NULL;

ALTER TABLE districts ADD COLUMN covered_by TEXT REFERENCES districts (code);
