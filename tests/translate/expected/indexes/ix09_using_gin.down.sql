DROP INDEX ix_items_tags_gin;

DROP INDEX ix_items_data_gin;
