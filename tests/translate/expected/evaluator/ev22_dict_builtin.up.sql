COMMENT ON TABLE ev_items IS 'pairs keywords 0 copied 3';

ALTER TABLE ev_items ALTER COLUMN name SET DEFAULT 'x';
