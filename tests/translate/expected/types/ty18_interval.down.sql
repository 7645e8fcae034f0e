DROP TABLE ty_interval;
