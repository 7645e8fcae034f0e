DROP TABLE ty_numeric;
