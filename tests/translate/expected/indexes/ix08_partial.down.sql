DROP INDEX ix_items_active_name;
