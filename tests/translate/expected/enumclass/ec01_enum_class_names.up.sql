CREATE TYPE color AS ENUM ('red', 'green', 'crimson');

CREATE TABLE ec_widgets (
    id SERIAL NOT NULL, 
    color color NOT NULL, 
    PRIMARY KEY (id)
);
