CREATE TABLE ty_text (
    id SERIAL NOT NULL, 
    v TEXT, 
    PRIMARY KEY (id)
);
