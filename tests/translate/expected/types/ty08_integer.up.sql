CREATE TABLE ty_integer (
    id SERIAL NOT NULL, 
    v INTEGER, 
    w INTEGER, 
    x INTEGER, 
    PRIMARY KEY (id)
);
