DROP TABLE ixs.logs;

DROP TABLE ix_items;

DROP SCHEMA ixs;
