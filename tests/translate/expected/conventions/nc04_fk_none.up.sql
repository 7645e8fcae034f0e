ALTER TABLE child ADD CONSTRAINT fk_child_qid_parent FOREIGN KEY(qid) REFERENCES parent (id);
