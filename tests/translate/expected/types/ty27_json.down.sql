DROP TABLE ty_json;
