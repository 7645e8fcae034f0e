CREATE TABLE tb_pk_constraint (
    id SERIAL NOT NULL, 
    label VARCHAR(30) NOT NULL, 
    PRIMARY KEY (id)
);
