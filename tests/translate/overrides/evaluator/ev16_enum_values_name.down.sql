-- reason: checkfirst (explicit, or postgresql.ENUM's default True) makes SQLAlchemy
-- query the catalog online (has_type: pg_type, visible in search_path or in the given
-- schema) and create/drop the type only when that is needed; offline Alembic cannot ask
-- and prints the bare statement. retort executes online and puts the same check into
-- the SQL: CREATE TYPE inside a DO block guarded by that query, DROP TYPE IF EXISTS.
-- deliberate: checkfirst=True
-- alembic-1.8.1:
ALTER TABLE ev_items DROP COLUMN state;

DROP TYPE ev_state;

-- expected:
ALTER TABLE ev_items DROP COLUMN state;

DROP TYPE IF EXISTS ev_state;
