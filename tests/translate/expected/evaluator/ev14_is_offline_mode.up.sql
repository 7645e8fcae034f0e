UPDATE ev_items SET gamma = 'checked' WHERE gamma IS NULL;
