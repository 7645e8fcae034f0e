COMMIT;

CREATE INDEX CONCURRENTLY ix_products_lower_name ON catalog.products (lower(name));

BEGIN;
