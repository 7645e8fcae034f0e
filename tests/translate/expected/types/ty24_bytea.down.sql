DROP TABLE ty_bytea;
