CREATE TABLE tb_smallserial (
    id SMALLSERIAL NOT NULL, 
    PRIMARY KEY (id)
);
