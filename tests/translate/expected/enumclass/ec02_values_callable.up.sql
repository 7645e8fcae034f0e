CREATE TYPE ec_status AS ENUM ('draft-v1', 'published', 'it''s archived');

CREATE TYPE ec_kind AS ENUM ('draft', 'published', 'archived');

CREATE TABLE ec_posts (
    id SERIAL NOT NULL, 
    status ec_status DEFAULT 'published' NOT NULL, 
    kind ec_kind, 
    PRIMARY KEY (id)
);
