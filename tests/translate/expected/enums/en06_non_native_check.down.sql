DROP TABLE en_switches;
