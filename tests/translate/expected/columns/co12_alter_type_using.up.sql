ALTER TABLE co_people ALTER COLUMN score TYPE BIGINT USING score::bigint;
