DROP TABLE ty_array;
