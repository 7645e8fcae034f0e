ALTER TABLE cos.items ADD COLUMN sku VARCHAR(16);

COMMENT ON COLUMN cos.items.label IS 'shown on the shelf';

CREATE UNIQUE INDEX ix_cos_items_sku ON cos.items (sku);
