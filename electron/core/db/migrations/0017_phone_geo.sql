-- 0017: where each lead's number is from (号码归属地) and the carrier its range was allocated to,
-- from libphonenumber's data, looked up at import. NULL: not looked up yet (leads imported before
-- this version; core fills them in after it opens the database); '': looked up, not known.
ALTER TABLE leads ADD COLUMN phone_province TEXT;
ALTER TABLE leads ADD COLUMN phone_city TEXT;
ALTER TABLE leads ADD COLUMN phone_carrier TEXT;

-- An import counts the numbers it brought in from outside the centre's city and province.
ALTER TABLE import_batches ADD COLUMN outside_city INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN outside_province INTEGER NOT NULL DEFAULT 0;
