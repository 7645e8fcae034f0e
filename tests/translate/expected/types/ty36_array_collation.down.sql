DROP TABLE ty_arrays_c;
