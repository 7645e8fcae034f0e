CREATE INDEX ix_fo_items_name_trgm ON fo_items USING gin (lower(name) gin_trgm_ops);
