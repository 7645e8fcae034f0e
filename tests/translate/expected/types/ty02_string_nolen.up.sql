CREATE TABLE ty_string_nolen (
    id SERIAL NOT NULL, 
    v VARCHAR, 
    PRIMARY KEY (id)
);
