COMMENT ON COLUMN co_people.note IS NULL;
