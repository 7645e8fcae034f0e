CREATE INDEX ix_items_created_desc ON ix_items (created_at DESC);
