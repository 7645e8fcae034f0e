DROP INDEX ev_items_gamma_idx;

ALTER TABLE ev_items ALTER COLUMN rank SET DEFAULT '10';
