DROP TABLE ty_uuid_sa2;
