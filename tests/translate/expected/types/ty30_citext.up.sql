CREATE TABLE ty_citext (
    id SERIAL NOT NULL, 
    v CITEXT, 
    PRIMARY KEY (id)
);
