DROP TABLE ec_priorities;
