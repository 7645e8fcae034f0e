DROP TABLE ty_varchar;
