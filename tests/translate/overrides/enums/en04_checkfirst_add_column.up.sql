-- reason: checkfirst (explicit, or postgresql.ENUM's default True) makes SQLAlchemy
-- query the catalog online (has_type: pg_type, visible in search_path or in the given
-- schema) and create/drop the type only when that is needed; offline Alembic cannot ask
-- and prints the bare statement. retort executes online and puts the same check into
-- the SQL: CREATE TYPE inside a DO block guarded by that query, DROP TYPE IF EXISTS.
-- deliberate: checkfirst=True
-- alembic-1.8.1:
CREATE TYPE en_size AS ENUM ('s', 'm', 'l');

ALTER TABLE en_pets ADD COLUMN size en_size;

-- expected:
DO $retort$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typname = 'en_size' AND pg_catalog.pg_type_is_visible(t.oid)) THEN CREATE TYPE en_size AS ENUM ('s', 'm', 'l'); END IF; END $retort$;

ALTER TABLE en_pets ADD COLUMN size en_size;
