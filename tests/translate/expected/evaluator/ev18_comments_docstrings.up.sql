UPDATE ev_items SET beta = 'b';
