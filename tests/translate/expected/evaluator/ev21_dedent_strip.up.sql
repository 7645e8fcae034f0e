COMMENT ON TABLE ev_items IS
    'dedented: TRUE';

COMMENT ON TABLE ev_tags IS

  'tabs and blanks';

COMMENT ON TABLE ev_tags
IS 'common prefix';

COMMENT ON TABLE ev_items IS 'lstrip';

COMMENT ON TABLE ev_items IS 'unicode blanks';

COMMENT ON TABLE ev_items IS 'strip';
