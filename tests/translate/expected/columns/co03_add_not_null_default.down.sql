ALTER TABLE co_people DROP COLUMN visits;
