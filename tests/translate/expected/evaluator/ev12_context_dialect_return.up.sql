ALTER TABLE ev_items SET (fillfactor = 90);
