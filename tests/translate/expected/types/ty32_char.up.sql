CREATE TABLE ty_char (
    id SERIAL NOT NULL, 
    v CHAR(3), 
    w CHAR, 
    PRIMARY KEY (id)
);
