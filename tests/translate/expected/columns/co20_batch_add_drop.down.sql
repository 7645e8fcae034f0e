ALTER TABLE co_people ADD COLUMN code VARCHAR(8);

ALTER TABLE co_people DROP COLUMN batch_col;
