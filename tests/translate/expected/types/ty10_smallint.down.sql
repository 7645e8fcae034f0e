DROP TABLE ty_smallint;
