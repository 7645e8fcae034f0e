COMMENT ON TABLE ev_items IS '[1/2] down';
