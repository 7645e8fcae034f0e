CREATE TABLE fo_notes (
    id SERIAL NOT NULL, 
    title TEXT, 
    owner INTEGER, 
    live BOOLEAN, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_fo_notes_owner ON fo_notes (owner) INCLUDE (title) WHERE live;
