DROP INDEX ix_fo_items_n;
