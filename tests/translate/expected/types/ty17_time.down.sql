DROP TABLE ty_time;
