CREATE TABLE co_people (
    id SERIAL NOT NULL, 
    name VARCHAR(50) NOT NULL, 
    age INTEGER, 
    status VARCHAR(20), 
    score INTEGER, 
    note TEXT, 
    legacy VARCHAR(10), 
    PRIMARY KEY (id)
);

CREATE TABLE co_teams (
    id SERIAL NOT NULL, 
    PRIMARY KEY (id)
);

CREATE SCHEMA cos;

CREATE TABLE cos.items (
    id SERIAL NOT NULL, 
    label VARCHAR(30), 
    PRIMARY KEY (id)
);
