-- 0018: districts for all of China (GB/T 2260), with their province: a district name such as
-- 朝阳区 or 城关区 exists in several provinces, and an address is matched by its province and city.
ALTER TABLE districts ADD COLUMN province TEXT NOT NULL DEFAULT '';
CREATE INDEX districts_city ON districts (city);
