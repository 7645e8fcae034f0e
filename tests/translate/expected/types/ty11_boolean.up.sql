CREATE TABLE ty_boolean (
    id SERIAL NOT NULL, 
    v BOOLEAN, 
    w BOOLEAN, 
    PRIMARY KEY (id)
);
