DROP TABLE ty_numeric_bare;
