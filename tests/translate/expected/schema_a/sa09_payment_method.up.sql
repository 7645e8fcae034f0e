DO $retort$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = 'payment_method' AND n.nspname = 'sales') THEN CREATE TYPE sales.payment_method AS ENUM ('card', 'invoice', 'voucher'); END IF; END $retort$;

ALTER TABLE sales.orders ADD COLUMN payment_method sales.payment_method;
