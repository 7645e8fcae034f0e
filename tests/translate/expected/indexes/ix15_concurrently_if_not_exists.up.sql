COMMIT;

CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_items_status_cc ON ix_items (status);

BEGIN;
