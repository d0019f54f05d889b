-- 0026: a 回访 proves itself. It is leased to the one who dials it (two people never call the same
-- customer for it); an unreachable one records the second channel (SMS or letter) that told the
-- customer; the attempts are its calls (calls.follow_up_id).
ALTER TABLE follow_ups ADD COLUMN lease_by INTEGER REFERENCES users (id);
ALTER TABLE follow_ups ADD COLUMN lease_until TEXT;
ALTER TABLE follow_ups ADD COLUMN second_channel TEXT CHECK (second_channel IN ('sms', 'letter'));
ALTER TABLE follow_ups ADD COLUMN second_channel_note TEXT;
CREATE INDEX calls_follow_up ON calls (follow_up_id) WHERE follow_up_id IS NOT NULL;
