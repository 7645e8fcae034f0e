CREATE TYPE en_kind AS ENUM ('cat', 'dog', 'bird');

CREATE TABLE en_animals (
    id SERIAL NOT NULL, 
    kind en_kind, 
    PRIMARY KEY (id)
);
