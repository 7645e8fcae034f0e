DROP TABLE ty_double;
