ALTER TABLE en_moves ADD COLUMN speed VARCHAR(10);

DO $retort$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typname = 'en_speed' AND pg_catalog.pg_type_is_visible(t.oid)) THEN CREATE TYPE en_speed AS ENUM ('slow', 'fast'); END IF; END $retort$;

ALTER TABLE en_moves ALTER COLUMN speed TYPE en_speed USING speed::en_speed;
