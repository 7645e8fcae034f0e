DROP INDEX ix_items_status_created;
