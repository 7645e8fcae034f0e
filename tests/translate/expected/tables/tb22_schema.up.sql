CREATE SCHEMA IF NOT EXISTS tbs;

CREATE TABLE tbs.accounts (
    id SERIAL NOT NULL, 
    name VARCHAR(50) NOT NULL, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_tbs_accounts_name ON tbs.accounts (name);
