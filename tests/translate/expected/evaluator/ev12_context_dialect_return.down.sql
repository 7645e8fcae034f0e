ALTER TABLE ev_items RESET (fillfactor);
