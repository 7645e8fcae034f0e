CREATE TABLE tb_composite (
    a INTEGER NOT NULL, 
    b INTEGER NOT NULL, 
    note TEXT, 
    PRIMARY KEY (a, b)
);
