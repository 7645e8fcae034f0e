CREATE TABLE ty_numeric (
    id SERIAL NOT NULL, 
    v NUMERIC(10, 2), 
    w NUMERIC(12, 4), 
    x NUMERIC(8, 3), 
    PRIMARY KEY (id)
);
