COMMIT;

CREATE INDEX CONCURRENTLY ix_items_created ON ix_items (created_at);

BEGIN;
