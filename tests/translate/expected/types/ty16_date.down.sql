DROP TABLE ty_date;
