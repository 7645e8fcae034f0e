DROP INDEX ix_items_name_pattern;
