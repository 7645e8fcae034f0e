DROP TABLE ty_reflected;
