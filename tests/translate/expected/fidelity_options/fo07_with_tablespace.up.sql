CREATE INDEX ix_fo_items_n ON fo_items (n) WITH (fillfactor = 70, deduplicate_items = off) TABLESPACE pg_default;
