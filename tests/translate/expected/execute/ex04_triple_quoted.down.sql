DROP TABLE ex_settings;
