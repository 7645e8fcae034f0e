ALTER TABLE ev_items DROP COLUMN sold_at;

ALTER TABLE ev_items DROP COLUMN weight;

ALTER TABLE ev_items DROP COLUMN price;
