DO $retort$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typname = 'en_size' AND pg_catalog.pg_type_is_visible(t.oid)) THEN CREATE TYPE en_size AS ENUM ('s', 'm', 'l'); END IF; END $retort$;

ALTER TABLE en_pets ADD COLUMN size en_size;
