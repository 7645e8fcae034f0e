DROP INDEX ix_items_data_kind;
