DROP TABLE ty_integer;
