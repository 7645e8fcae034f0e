CREATE INDEX ix_items_name ON ix_items (name);
