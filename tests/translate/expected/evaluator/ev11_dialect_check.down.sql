DROP INDEX ix_ev_items_name_trgm;
