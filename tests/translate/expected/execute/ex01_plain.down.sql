DROP TABLE ex_log;
