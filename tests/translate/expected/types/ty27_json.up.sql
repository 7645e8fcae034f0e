CREATE TABLE ty_json (
    id SERIAL NOT NULL, 
    v JSON, 
    w JSON, 
    PRIMARY KEY (id)
);
