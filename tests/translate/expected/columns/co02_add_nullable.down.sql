ALTER TABLE co_people DROP COLUMN nickname;
