ALTER TABLE co_people DROP COLUMN created_at;
