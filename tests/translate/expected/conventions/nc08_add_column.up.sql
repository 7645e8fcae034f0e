ALTER TABLE child ADD COLUMN rid INTEGER;

ALTER TABLE child ADD CONSTRAINT uq_child_rid UNIQUE (rid);

ALTER TABLE child ADD CONSTRAINT fk_child_rid_parent FOREIGN KEY(rid) REFERENCES parent (id);
