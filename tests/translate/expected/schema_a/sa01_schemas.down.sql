DROP SCHEMA sales;

DROP SCHEMA catalog;
