-- 0022: the age a list stated (年龄 column) when it gives no birth date; counted from the day the
-- lead was imported (leads.created_at), so the card shows it a year older a year later.
ALTER TABLE leads ADD COLUMN stated_age INTEGER;
