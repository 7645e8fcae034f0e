CREATE TABLE ex_user (
    email VARCHAR NOT NULL, 
    full_name VARCHAR(255), 
    hashed_password VARCHAR NOT NULL, 
    id UUID NOT NULL, 
    other_id UUID, 
    PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_ex_user_email ON ex_user (email);

ALTER TABLE ex_user ADD COLUMN title VARCHAR(80);
