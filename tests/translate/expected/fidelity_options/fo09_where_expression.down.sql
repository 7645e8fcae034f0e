DROP INDEX ix_fo_items_active_name;
