DROP TABLE ex_levels;
