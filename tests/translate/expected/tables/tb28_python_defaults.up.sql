CREATE TABLE tb_py_defaults (
    id SERIAL NOT NULL, 
    status VARCHAR(20) NOT NULL, 
    touched TIMESTAMP WITHOUT TIME ZONE, 
    PRIMARY KEY (id)
);
