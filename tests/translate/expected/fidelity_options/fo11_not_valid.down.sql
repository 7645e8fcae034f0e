ALTER TABLE fo_items DROP CONSTRAINT fk_fo_items_parent_nv;

ALTER TABLE fo_items DROP CONSTRAINT ck_fo_items_n_small;
