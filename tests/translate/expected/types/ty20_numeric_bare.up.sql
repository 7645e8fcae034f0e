CREATE TABLE ty_numeric_bare (
    id SERIAL NOT NULL, 
    v NUMERIC, 
    PRIMARY KEY (id)
);
