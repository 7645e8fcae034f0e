CREATE TABLE events.members (
    id SERIAL NOT NULL, 
    event_id INTEGER, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_events_members_event_id ON events.members (event_id);
