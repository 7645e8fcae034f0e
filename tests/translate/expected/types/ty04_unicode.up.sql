CREATE TABLE ty_unicode (
    id SERIAL NOT NULL, 
    v VARCHAR(20), 
    w VARCHAR, 
    PRIMARY KEY (id)
);
