COMMIT;

DROP INDEX CONCURRENTLY catalog.ix_products_lower_name;

BEGIN;
