ALTER TABLE co_people DROP COLUMN team_id;
