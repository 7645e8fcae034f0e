CREATE TABLE ty_uuid_sa2 (
    id SERIAL NOT NULL, 
    v UUID, 
    w UUID, 
    PRIMARY KEY (id)
);
