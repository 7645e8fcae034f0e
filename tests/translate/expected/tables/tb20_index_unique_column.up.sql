CREATE TABLE tb_index_unique (
    id SERIAL NOT NULL, 
    code VARCHAR(8), 
    PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_tb_index_unique_code ON tb_index_unique (code);
