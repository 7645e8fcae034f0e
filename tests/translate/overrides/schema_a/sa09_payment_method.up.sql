-- reason: checkfirst (explicit, or postgresql.ENUM's default True) makes SQLAlchemy
-- query the catalog online (has_type: pg_type, visible in search_path or in the given
-- schema) and create/drop the type only when that is needed; offline Alembic cannot ask
-- and prints the bare statement. retort executes online and puts the same check into
-- the SQL: CREATE TYPE inside a DO block guarded by that query, DROP TYPE IF EXISTS.
-- deliberate: checkfirst=True
-- alembic-1.8.1:
CREATE TYPE sales.payment_method AS ENUM ('card', 'invoice', 'voucher');

ALTER TABLE sales.orders ADD COLUMN payment_method sales.payment_method;

-- expected:
DO $retort$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = 'payment_method' AND n.nspname = 'sales') THEN CREATE TYPE sales.payment_method AS ENUM ('card', 'invoice', 'voucher'); END IF; END $retort$;

ALTER TABLE sales.orders ADD COLUMN payment_method sales.payment_method;
