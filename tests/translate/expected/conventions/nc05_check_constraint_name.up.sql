ALTER TABLE parent ADD CONSTRAINT ck_parent_nonneg CHECK (b >= 0);
