DROP TABLE ty_pg_timestamp;
