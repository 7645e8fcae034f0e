DROP TABLE ty_unicodetext;
