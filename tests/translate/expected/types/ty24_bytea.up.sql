CREATE TABLE ty_bytea (
    id SERIAL NOT NULL, 
    v BYTEA, 
    PRIMARY KEY (id)
);
