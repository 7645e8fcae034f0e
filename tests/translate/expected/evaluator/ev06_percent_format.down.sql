COMMENT ON TABLE ev_items IS NULL;

UPDATE ev_items SET rank = 10 WHERE name = 'third';
