CREATE TABLE ty_date (
    id SERIAL NOT NULL, 
    v DATE, 
    w DATE, 
    PRIMARY KEY (id)
);
