DROP TABLE ty_unicode;
