ALTER TABLE ev_items DROP COLUMN gamma;

ALTER TABLE ev_items DROP COLUMN beta;

ALTER TABLE ev_items DROP COLUMN alpha;
