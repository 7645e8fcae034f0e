DROP INDEX ix_parent_a_b;

DROP INDEX by_b;
