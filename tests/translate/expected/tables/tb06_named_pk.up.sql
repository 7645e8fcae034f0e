CREATE TABLE tb_named_pk (
    code VARCHAR(10) NOT NULL, 
    value INTEGER, 
    CONSTRAINT pk_tb_named_pk PRIMARY KEY (code)
);
