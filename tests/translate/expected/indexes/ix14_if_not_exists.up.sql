CREATE INDEX IF NOT EXISTS ix_items_name_ine ON ix_items (name);
