CREATE TABLE ty_varchar (
    id SERIAL NOT NULL, 
    v VARCHAR(20), 
    w VARCHAR(255), 
    PRIMARY KEY (id)
);
