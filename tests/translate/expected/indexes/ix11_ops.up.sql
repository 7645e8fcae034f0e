CREATE INDEX ix_items_name_pattern ON ix_items (name text_pattern_ops);
