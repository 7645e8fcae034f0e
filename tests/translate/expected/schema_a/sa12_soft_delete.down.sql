COMMIT;

DROP INDEX CONCURRENTLY catalog.uq_products_live_sku;

BEGIN;

ALTER TABLE catalog.products DROP COLUMN deleted_at;
