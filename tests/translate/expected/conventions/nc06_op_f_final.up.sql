ALTER TABLE parent ADD CONSTRAINT ck_parent_b_small CHECK (b < 100);
