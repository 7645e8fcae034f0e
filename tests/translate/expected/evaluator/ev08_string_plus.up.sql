CREATE INDEX ev_items_ab ON ev_items (alpha, beta);
