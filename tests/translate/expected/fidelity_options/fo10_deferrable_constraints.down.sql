DROP TABLE fo_pairs;

ALTER TABLE fo_items DROP CONSTRAINT fk_fo_items_parent;

ALTER TABLE fo_items DROP CONSTRAINT uq_fo_items_name;

ALTER TABLE fo_items DROP CONSTRAINT uq_fo_items_email;
