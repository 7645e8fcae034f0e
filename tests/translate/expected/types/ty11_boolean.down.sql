DROP TABLE ty_boolean;
