DROP TABLE tbs.accounts;

DROP SCHEMA tbs;
