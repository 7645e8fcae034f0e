COMMENT ON TABLE ev_items IS 'catalogue items';

COMMENT ON TABLE ev_tags IS 'items'' tags';
