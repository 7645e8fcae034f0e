DROP TABLE ty_string;
