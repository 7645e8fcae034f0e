ALTER TABLE co_people DROP CONSTRAINT ck_co_people_visits;

ALTER TABLE co_people DROP CONSTRAINT fk_co_people_team2;

ALTER TABLE co_people DROP CONSTRAINT uq_co_people_nickname;

DROP INDEX ix_co_people_batch_col;
