CREATE TABLE cn_mixed (
    id SERIAL NOT NULL, 
    a INTEGER, 
    b INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT apos CHECK (a > 0), 
    UNIQUE (a), 
    FOREIGN KEY(b) REFERENCES cn_users (id)
);
