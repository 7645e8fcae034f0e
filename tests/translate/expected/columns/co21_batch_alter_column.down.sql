ALTER TABLE co_people RENAME visit_count TO visits;

ALTER TABLE co_people ALTER COLUMN batch_col DROP NOT NULL;

ALTER TABLE co_people ALTER COLUMN batch_col DROP DEFAULT;
