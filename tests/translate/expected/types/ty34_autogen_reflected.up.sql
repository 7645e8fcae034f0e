CREATE TABLE ty_reflected (
    id BIGSERIAL NOT NULL, 
    name VARCHAR(100) NOT NULL, 
    body TEXT, 
    flag BOOLEAN, 
    created TIMESTAMP WITH TIME ZONE, 
    price NUMERIC(10, 2), 
    ratio DOUBLE PRECISION, 
    doc JSONB, 
    day DATE, 
    CONSTRAINT ty_reflected_pkey PRIMARY KEY (id)
);
