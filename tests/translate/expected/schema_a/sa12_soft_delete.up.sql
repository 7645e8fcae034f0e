ALTER TABLE catalog.products ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;

COMMIT;

CREATE UNIQUE INDEX CONCURRENTLY uq_products_live_sku ON catalog.products (sku) WHERE deleted_at IS NULL;

BEGIN;
