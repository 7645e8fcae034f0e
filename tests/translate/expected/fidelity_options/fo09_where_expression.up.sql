CREATE UNIQUE INDEX ix_fo_items_active_name ON fo_items (name text_pattern_ops) WHERE active AND name <> '';
