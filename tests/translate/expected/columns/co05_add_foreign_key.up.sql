ALTER TABLE co_people ADD COLUMN team_id INTEGER;

ALTER TABLE co_people ADD CONSTRAINT fk_co_people_team FOREIGN KEY(team_id) REFERENCES co_teams (id);
