CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE fo_items (
    id SERIAL NOT NULL, 
    name VARCHAR(100), 
    email VARCHAR(255), 
    active BOOLEAN, 
    n INTEGER, 
    parent_id INTEGER, 
    tags TEXT[], 
    PRIMARY KEY (id)
);
