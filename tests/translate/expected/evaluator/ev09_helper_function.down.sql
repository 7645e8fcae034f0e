ALTER TABLE ev_tags DROP COLUMN created_by;

ALTER TABLE ev_tags DROP COLUMN created_at;

ALTER TABLE ev_items DROP COLUMN created_by;

ALTER TABLE ev_items DROP COLUMN created_at;
