CREATE TABLE ty_smallint (
    id SERIAL NOT NULL, 
    v SMALLINT, 
    w SMALLINT, 
    PRIMARY KEY (id)
);
