CREATE TABLE ex_levels (
    id SERIAL NOT NULL, 
    name VARCHAR(20), 
    weight INTEGER, 
    visible BOOLEAN, 
    PRIMARY KEY (id)
);

INSERT INTO ex_levels (id, name, weight, visible) VALUES (1, 'debug', 10, false);

INSERT INTO ex_levels (id, name, weight, visible) VALUES (2, 'it''s info', NULL, true);

INSERT INTO ex_levels (id, name) VALUES (3, 'warn');
