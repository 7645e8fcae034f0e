CREATE TABLE tb_index_col (
    id SERIAL NOT NULL, 
    name VARCHAR(100), 
    PRIMARY KEY (id)
);

CREATE INDEX ix_tb_index_col_name ON tb_index_col (name);
