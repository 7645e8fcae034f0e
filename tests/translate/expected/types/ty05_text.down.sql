DROP TABLE ty_text;
