DROP INDEX ix_ix_items_status;
