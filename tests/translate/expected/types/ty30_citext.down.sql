DROP TABLE ty_citext;
