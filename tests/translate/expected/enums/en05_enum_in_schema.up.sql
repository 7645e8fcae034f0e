CREATE SCHEMA ens;

CREATE TYPE ens.ticket_state AS ENUM ('open', 'closed');

CREATE TABLE ens.tickets (
    id SERIAL NOT NULL, 
    state ens.ticket_state DEFAULT 'open' NOT NULL, 
    PRIMARY KEY (id)
);
