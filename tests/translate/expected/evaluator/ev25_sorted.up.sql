COMMENT ON TABLE ev_tags IS 'a/b b/a';

COMMENT ON TABLE ev_items IS 'z z';

COMMENT ON TABLE ev_items IS '5 1 3 z 3 a True True a';
