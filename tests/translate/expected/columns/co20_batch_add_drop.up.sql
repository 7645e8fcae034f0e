ALTER TABLE co_people ADD COLUMN batch_col VARCHAR(10);

ALTER TABLE co_people DROP COLUMN code;
