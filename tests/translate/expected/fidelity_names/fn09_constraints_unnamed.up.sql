ALTER TABLE fn_events ADD UNIQUE (a, b);

CREATE TABLE fn_refs (
    id SERIAL NOT NULL, 
    event_id INTEGER, 
    n INTEGER CHECK (n > 0), 
    PRIMARY KEY (id), 
    UNIQUE (n), 
    FOREIGN KEY(event_id) REFERENCES fn_events (id)
);
