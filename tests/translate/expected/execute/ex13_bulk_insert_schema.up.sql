CREATE SCHEMA exs;

CREATE TABLE exs.codes (code varchar(3) PRIMARY KEY, label text, rank integer);

INSERT INTO exs.codes (code, label, rank) VALUES ('de', 'Germany', 1);

INSERT INTO exs.codes (code, label, rank) VALUES ('fr', 'France', 2);
