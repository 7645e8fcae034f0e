DROP TABLE ty_timestamp;
