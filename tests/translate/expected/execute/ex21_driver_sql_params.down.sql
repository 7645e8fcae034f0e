UPDATE ex_levels SET name = 'y';

