CREATE TABLE ty_largebinary (
    id SERIAL NOT NULL, 
    v BYTEA, 
    PRIMARY KEY (id)
);
