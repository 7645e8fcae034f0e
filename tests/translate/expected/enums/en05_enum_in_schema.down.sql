DROP TABLE ens.tickets;

DROP TYPE IF EXISTS ens.ticket_state;

DROP SCHEMA ens;
