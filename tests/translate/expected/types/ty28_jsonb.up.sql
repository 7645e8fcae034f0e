CREATE TABLE ty_jsonb (
    id SERIAL NOT NULL, 
    v JSONB, 
    w JSONB, 
    PRIMARY KEY (id)
);
