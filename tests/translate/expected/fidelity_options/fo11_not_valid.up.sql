ALTER TABLE fo_items ADD CONSTRAINT ck_fo_items_n_small CHECK (n < 1000) NOT VALID;

ALTER TABLE fo_items ADD CONSTRAINT fk_fo_items_parent_nv FOREIGN KEY(parent_id) REFERENCES fo_items (id) NOT VALID;
