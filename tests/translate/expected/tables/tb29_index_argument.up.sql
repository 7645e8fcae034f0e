CREATE TABLE tb_index_arg (
    id SERIAL NOT NULL, 
    a INTEGER, 
    b INTEGER, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_tb_index_arg_a_b ON tb_index_arg (a, b);
