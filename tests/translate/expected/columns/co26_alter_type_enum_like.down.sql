ALTER TABLE co_people ALTER COLUMN status TYPE VARCHAR(20) USING CASE WHEN status THEN 'active' ELSE 'inactive' END;

ALTER TABLE co_people ALTER COLUMN status SET DEFAULT 'active';
