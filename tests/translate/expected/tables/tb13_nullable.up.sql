CREATE TABLE tb_nullable (
    id SERIAL NOT NULL, 
    required VARCHAR(20) NOT NULL, 
    optional VARCHAR(20), 
    implicit VARCHAR(20), 
    PRIMARY KEY (id)
);
