ALTER TABLE co_people ALTER COLUMN batch_col SET NOT NULL;

ALTER TABLE co_people ALTER COLUMN batch_col SET DEFAULT 'b';

ALTER TABLE co_people RENAME visits TO visit_count;
