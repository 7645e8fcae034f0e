CREATE SCHEMA ixs;

CREATE TABLE ix_items (
    id SERIAL NOT NULL, 
    name VARCHAR(100) NOT NULL, 
    email VARCHAR(255), 
    status VARCHAR(20), 
    active BOOLEAN DEFAULT true NOT NULL, 
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now(), 
    data JSONB, 
    tags TEXT[], 
    PRIMARY KEY (id)
);

CREATE TABLE ixs.logs (
    id BIGSERIAL NOT NULL, 
    level VARCHAR(10), 
    PRIMARY KEY (id)
);
