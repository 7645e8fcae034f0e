UPDATE ex_levels SET weight = NULL;
