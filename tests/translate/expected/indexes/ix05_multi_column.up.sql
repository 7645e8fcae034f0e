CREATE INDEX ix_items_status_created ON ix_items (status, created_at);
