-- 0024: the training campaign (培训): made-up customers an operator practises on with the simulated
-- line, so that training never shows or touches a real customer. It takes no list and no batch, and
-- no figure, search or report counts it.
ALTER TABLE campaigns ADD COLUMN training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1));
