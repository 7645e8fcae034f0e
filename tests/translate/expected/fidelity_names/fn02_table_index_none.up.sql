CREATE TABLE fn_pairs (
    id SERIAL NOT NULL, 
    a INTEGER, 
    b INTEGER, 
    PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_fn_pairs_a ON fn_pairs (a, b);
