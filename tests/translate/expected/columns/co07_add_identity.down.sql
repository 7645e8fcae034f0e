ALTER TABLE co_people DROP COLUMN ident;
