COMMENT ON TABLE ev_items IS '[1/2] first';

COMMENT ON TABLE ev_tags IS '[2/2] second';

COMMENT ON TABLE ev_items IS 'after 3';
