DROP TABLE ty_string_nolen;
