ALTER TABLE parent DROP CONSTRAINT ck_parent_nonneg;
