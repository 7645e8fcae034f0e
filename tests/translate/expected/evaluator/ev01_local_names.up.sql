CREATE TABLE ev_items (
    id SERIAL NOT NULL, 
    name VARCHAR(80) NOT NULL, 
    PRIMARY KEY (id)
);
