DROP TABLE ty_datetime;
