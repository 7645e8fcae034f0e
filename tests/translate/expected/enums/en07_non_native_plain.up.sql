CREATE TABLE en_moves (
    id SERIAL NOT NULL, 
    direction VARCHAR(8), 
    PRIMARY KEY (id)
);
