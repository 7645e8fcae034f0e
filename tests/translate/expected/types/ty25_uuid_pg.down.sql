DROP TABLE ty_uuid_pg;
