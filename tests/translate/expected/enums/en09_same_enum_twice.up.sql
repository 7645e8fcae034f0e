CREATE TYPE en_level AS ENUM ('low', 'high');

CREATE TABLE en_shared_a (
    id SERIAL NOT NULL, 
    level en_level, 
    PRIMARY KEY (id)
);

CREATE TABLE en_shared_b (
    id SERIAL NOT NULL, 
    level en_level, 
    PRIMARY KEY (id)
);
