UPDATE ev_items SET rank = 3 WHERE name = 'third';

COMMENT ON TABLE ev_items IS 'items';
