CREATE TABLE tb_bigserial (
    id BIGSERIAL NOT NULL, 
    PRIMARY KEY (id)
);
