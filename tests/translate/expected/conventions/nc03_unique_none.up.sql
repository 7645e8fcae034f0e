ALTER TABLE parent ADD CONSTRAINT uq_parent_ba UNIQUE (b, a);

ALTER TABLE parent ADD CONSTRAINT b_unique UNIQUE (b);
