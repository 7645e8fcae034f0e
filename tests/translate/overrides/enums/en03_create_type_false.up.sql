-- reason: checkfirst (explicit, or postgresql.ENUM's default True) makes SQLAlchemy
-- query the catalog online (has_type: pg_type, visible in search_path or in the given
-- schema) and create/drop the type only when that is needed; offline Alembic cannot ask
-- and prints the bare statement. retort executes online and puts the same check into
-- the SQL: CREATE TYPE inside a DO block guarded by that query, DROP TYPE IF EXISTS.
-- deliberate: checkfirst=True
-- alembic-1.8.1:
CREATE TYPE en_axis AS ENUM ('x', 'y');

CREATE TABLE en_points (
    id SERIAL NOT NULL, 
    axis en_axis NOT NULL, 
    PRIMARY KEY (id)
);

-- expected:
DO $retort$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typname = 'en_axis' AND pg_catalog.pg_type_is_visible(t.oid)) THEN CREATE TYPE en_axis AS ENUM ('x', 'y'); END IF; END $retort$;

CREATE TABLE en_points (
    id SERIAL NOT NULL, 
    axis en_axis NOT NULL, 
    PRIMARY KEY (id)
);
