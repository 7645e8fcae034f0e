CREATE TABLE tb_default_bool (
    id SERIAL NOT NULL, 
    active BOOLEAN DEFAULT true NOT NULL, 
    deleted BOOLEAN DEFAULT false NOT NULL, 
    legacy BOOLEAN DEFAULT false, 
    PRIMARY KEY (id)
);
