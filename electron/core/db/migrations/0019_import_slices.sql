-- 0019: an import writes its list into the pool in short slices, so that no other write (a claim,
-- an outcome, a new user) waits behind it. The list is read and checked into a stage file first
-- (nothing in the pool changes); the batch is created once every row is staged — the point after
-- which the import is finished even across a crash — and each slice commits the rows it wrote with
-- `applied_upto`, how many of the staged records are in, and adds to the batch's counts.
ALTER TABLE import_batches ADD COLUMN state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('writing', 'done'));
ALTER TABLE import_batches ADD COLUMN stage_file TEXT;
ALTER TABLE import_batches ADD COLUMN staged_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN applied_upto INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
CREATE INDEX import_batches_writing ON import_batches (state) WHERE state = 'writing';
