DROP INDEX ix_fo_items_name_trgm;
