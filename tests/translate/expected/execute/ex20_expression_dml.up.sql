CREATE TABLE ex_acct (
    id SERIAL NOT NULL, 
    name VARCHAR, 
    kind VARCHAR, 
    PRIMARY KEY (id)
);

INSERT INTO ex_acct (id, name) VALUES (1, 'a');

INSERT INTO ex_acct (id, name) VALUES (2, 'it''s'), (3, 'c');

UPDATE ex_acct SET name=NULL, kind='x' WHERE ex_acct.id = 1;

UPDATE ex_acct SET name='n', kind='k' WHERE ex_acct.name = 'it''s' AND (ex_acct.id = 1 OR ex_acct.id > 2);

UPDATE ex_acct SET name=upper(ex_acct.name);

DELETE FROM ex_acct WHERE ex_acct.kind = 'old' AND (ex_acct.id < 3 OR ex_acct.name IS NULL);
