DROP TABLE ty_bigint;
