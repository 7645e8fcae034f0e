CREATE TABLE ty_string (
    id SERIAL NOT NULL, 
    v VARCHAR(50), 
    w VARCHAR(120), 
    PRIMARY KEY (id)
);
