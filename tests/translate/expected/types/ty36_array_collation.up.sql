CREATE TABLE ty_arrays_c (
    id SERIAL NOT NULL, 
    a VARCHAR[] COLLATE "C", 
    b VARCHAR(5)[][] COLLATE "POSIX", 
    c TEXT[] COLLATE "C", 
    d INTEGER, 
    PRIMARY KEY (id)
);

ALTER TABLE ty_arrays_c ALTER COLUMN a TYPE VARCHAR(10)[] COLLATE "C";
