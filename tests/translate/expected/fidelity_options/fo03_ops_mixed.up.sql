CREATE INDEX ix_fo_items_name_email ON fo_items (name varchar_pattern_ops, email text_pattern_ops, n);
