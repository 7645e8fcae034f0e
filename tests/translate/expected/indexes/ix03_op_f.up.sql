CREATE INDEX ix_ix_items_status ON ix_items (status);
