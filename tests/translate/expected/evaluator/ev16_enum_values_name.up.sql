DO $retort$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typname = 'ev_state' AND pg_catalog.pg_type_is_visible(t.oid)) THEN CREATE TYPE ev_state AS ENUM ('draft', 'live', 'retired'); END IF; END $retort$;

ALTER TABLE ev_items ADD COLUMN state ev_state DEFAULT 'draft' NOT NULL;
