DROP TABLE exs.codes;

DROP SCHEMA exs;
