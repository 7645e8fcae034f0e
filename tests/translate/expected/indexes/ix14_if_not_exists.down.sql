DROP INDEX IF EXISTS ix_items_name_ine;
