CREATE TYPE en_phrase AS ENUM ('it''s', 'plain', 'two words');

CREATE TABLE en_phrases (
    id SERIAL NOT NULL, 
    phrase en_phrase, 
    PRIMARY KEY (id)
);
