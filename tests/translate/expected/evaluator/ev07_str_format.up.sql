ALTER TABLE ev_items ALTER COLUMN rank SET DEFAULT 5;

CREATE INDEX ev_items_gamma_idx ON ev_items (gamma);
