UPDATE ex_levels SET weight = 5;

UPDATE ex_levels SET weight = 6;
