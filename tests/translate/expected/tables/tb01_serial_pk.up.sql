CREATE TABLE tb_serial (
    id SERIAL NOT NULL, 
    name VARCHAR(40), 
    PRIMARY KEY (id)
);
