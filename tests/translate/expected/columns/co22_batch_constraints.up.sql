CREATE INDEX ix_co_people_batch_col ON co_people (batch_col);

ALTER TABLE co_people ADD CONSTRAINT uq_co_people_nickname UNIQUE (nickname);

ALTER TABLE co_people ADD CONSTRAINT fk_co_people_team2 FOREIGN KEY(team_id) REFERENCES co_teams (id) ON DELETE SET NULL;

ALTER TABLE co_people ADD CONSTRAINT ck_co_people_visits CHECK (visit_count >= 0);
