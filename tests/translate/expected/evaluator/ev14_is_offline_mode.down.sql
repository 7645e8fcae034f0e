UPDATE ev_items SET gamma = NULL WHERE gamma = 'checked';
