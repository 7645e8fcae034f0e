CREATE INDEX ix_items_active_name ON ix_items (name) WHERE active;
