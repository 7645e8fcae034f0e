DROP TABLE ty_inet;
