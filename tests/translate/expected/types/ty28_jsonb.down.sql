DROP TABLE ty_jsonb;
