CREATE TABLE ty_unicodetext (
    id SERIAL NOT NULL, 
    v TEXT, 
    PRIMARY KEY (id)
);
