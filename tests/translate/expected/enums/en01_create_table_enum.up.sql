CREATE TYPE en_mood AS ENUM ('happy', 'sad');

CREATE TABLE en_pets (
    id SERIAL NOT NULL, 
    mood en_mood NOT NULL, 
    PRIMARY KEY (id)
);
