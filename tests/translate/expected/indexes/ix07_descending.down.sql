DROP INDEX ix_items_created_desc;
