CREATE TABLE ty_uuid_pg (
    id SERIAL NOT NULL, 
    v UUID, 
    w UUID, 
    PRIMARY KEY (id)
);
