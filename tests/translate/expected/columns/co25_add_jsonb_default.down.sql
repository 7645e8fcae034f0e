ALTER TABLE co_people DROP COLUMN tags;

ALTER TABLE co_people DROP COLUMN prefs;
