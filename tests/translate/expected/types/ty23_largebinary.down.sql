DROP TABLE ty_largebinary;
