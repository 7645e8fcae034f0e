DROP INDEX ix_items_combo;
