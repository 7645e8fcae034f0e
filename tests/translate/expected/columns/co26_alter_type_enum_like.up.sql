ALTER TABLE co_people ALTER COLUMN status TYPE BOOLEAN USING status = 'active';

ALTER TABLE co_people ALTER COLUMN status SET DEFAULT false;
