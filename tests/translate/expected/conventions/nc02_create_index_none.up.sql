CREATE INDEX ix_parent_a_b ON parent (a, b);

CREATE UNIQUE INDEX by_b ON parent (b);
