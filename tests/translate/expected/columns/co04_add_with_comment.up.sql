ALTER TABLE co_people ADD COLUMN bio TEXT;

COMMENT ON COLUMN co_people.bio IS 'about me';
