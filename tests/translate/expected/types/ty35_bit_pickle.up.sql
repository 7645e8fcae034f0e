CREATE TABLE ty_bits (
    id SERIAL NOT NULL, 
    b1 BIT(1), 
    b2 BIT(3), 
    b3 BIT(1), 
    b4 BIT VARYING, 
    b5 BIT VARYING(5), 
    b6 BIT(1), 
    p1 BYTEA, 
    p2 BYTEA, 
    PRIMARY KEY (id)
);

ALTER TABLE ty_bits ADD COLUMN b7 BIT(8);
