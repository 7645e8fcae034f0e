CREATE TABLE ty_float (
    id SERIAL NOT NULL, 
    v FLOAT, 
    w FLOAT(53), 
    x REAL, 
    PRIMARY KEY (id)
);
