UPDATE ev_items SET beta = NULL WHERE beta = 'b';
