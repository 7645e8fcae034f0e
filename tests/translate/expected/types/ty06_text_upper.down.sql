DROP TABLE ty_text_upper;
