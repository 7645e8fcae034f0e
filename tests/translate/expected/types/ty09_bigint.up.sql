CREATE TABLE ty_bigint (
    id SERIAL NOT NULL, 
    v BIGINT, 
    w BIGINT, 
    PRIMARY KEY (id)
);
