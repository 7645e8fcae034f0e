COMMENT ON COLUMN co_people.note IS 'what we noted, don''t share';
