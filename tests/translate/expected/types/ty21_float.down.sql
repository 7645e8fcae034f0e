DROP TABLE ty_float;
