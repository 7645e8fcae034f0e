DROP INDEX cos.ix_cos_items_sku;

COMMENT ON COLUMN cos.items.label IS NULL;

ALTER TABLE cos.items DROP COLUMN sku;
