DROP TABLE ex_utils;
