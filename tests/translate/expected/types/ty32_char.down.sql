DROP TABLE ty_char;
