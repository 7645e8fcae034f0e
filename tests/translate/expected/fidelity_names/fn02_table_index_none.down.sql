DROP TABLE fn_pairs;
