UPDATE ev_items SET rank = rank - 1;
