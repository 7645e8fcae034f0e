CREATE SCHEMA events;

CREATE TABLE fn_events (
    id SERIAL NOT NULL, 
    event_id INTEGER, 
    name VARCHAR(50), 
    "Kind" VARCHAR(20), 
    a INTEGER, 
    b INTEGER, 
    PRIMARY KEY (id)
);

CREATE TABLE events.roles (
    id SERIAL NOT NULL, 
    event_id INTEGER, 
    name VARCHAR(50), 
    PRIMARY KEY (id)
);

CREATE TABLE fn_a_table_whose_name_is_long_enough_to_push_index (
    id SERIAL NOT NULL, 
    a_column_with_a_rather_long_name INTEGER, 
    PRIMARY KEY (id)
);
