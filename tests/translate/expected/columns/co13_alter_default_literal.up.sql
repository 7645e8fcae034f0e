ALTER TABLE co_people ALTER COLUMN status SET DEFAULT 'active';
