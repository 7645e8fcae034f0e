CREATE TABLE tb_unique_col (
    id SERIAL NOT NULL, 
    email VARCHAR(255) NOT NULL, 
    PRIMARY KEY (id), 
    UNIQUE (email)
);
