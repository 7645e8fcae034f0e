CREATE TABLE tb_composite_autoinc (
    a SERIAL NOT NULL, 
    b INTEGER NOT NULL, 
    PRIMARY KEY (a, b)
);
