ALTER TABLE co_people ALTER COLUMN score TYPE INTEGER USING score::integer;
