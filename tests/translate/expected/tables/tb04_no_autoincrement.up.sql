CREATE TABLE tb_no_autoinc (
    id INTEGER NOT NULL, 
    PRIMARY KEY (id)
);
