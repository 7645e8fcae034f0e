CREATE TABLE ty_array (
    id SERIAL NOT NULL, 
    v INTEGER[], 
    w TEXT[][], 
    x VARCHAR(20)[], 
    PRIMARY KEY (id)
);
